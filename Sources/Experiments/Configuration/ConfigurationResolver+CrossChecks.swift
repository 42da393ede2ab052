// Checks that involve more than one key (SPEC.md "Keys and defaults"; issue 5 "Bad input"):
// dataset files for idx, architecture vs layers/residual/blocks, batch size vs training set,
// warm-up vs epochs, activation images vs test set.

extension ConfigurationResolver {
    /// Checks the combinations of keys of a resolved configuration.
    /// - Throws: ``ConfigurationError`` naming the key whose value conflicts (unprefixed).
    func crossCheck(_ c: ResolvedConfiguration) throws {
        let ctx = context
        let idxFiles = ["train_images", "train_labels", "test_images", "test_labels"].map { "dataset." + $0 }
        if c["dataset.name"] == "idx" {
            for key in idxFiles where c[key].isNull {
                throw ctx.error(key, nil, .invalidValue(allowed: "required with dataset.name = \"idx\": give the IDX file path"))
            }
        } else if let key = idxFiles.first(where: { !c[$0].isNull }) {
            throw ctx.error(key, c[key], .invalidValue(allowed: "only used with dataset.name = \"idx\"; remove it"))
        }

        let architecture = c["model.architecture"].stringValue!
        let layers = c["model.layers"].arrayValue ?? []
        let types = layers.compactMap { $0.objectValue?["type"]?.stringValue }
        if architecture == "layers" && layers.isEmpty {
            throw ctx.error("model.layers", .null, .invalidValue(allowed: "required with model.architecture = \"layers\": give a layer list"))
        }
        if architecture != "layers" && !layers.isEmpty {
            throw ctx.error("model.layers", c["model.layers"],
                            .invalidValue(allowed: "only used with model.architecture = \"layers\" (it is \"\(architecture)\")"))
        }
        if c["model.residual"] == true && architecture != "lenet5-residual" && !types.contains("shortcut") {
            throw ctx.error("model.residual", true, .invalidValue(allowed:
                "needs blocks to bypass: set model.architecture = \"lenet5-residual\" (it is \"\(architecture)\")"
                + (architecture == "layers" ? " or add {\"type\": \"shortcut\", \"span\": …} entries" : "")))
        }
        if c["model.blocks_per_stage"] != 1 && architecture != "lenet5-residual" {
            throw ctx.error("model.blocks_per_stage", c["model.blocks_per_stage"], .invalidValue(allowed:
                "only used with model.architecture = \"lenet5-residual\" (it is \"\(architecture)\"); remove it"))
        }
        if c["training.warmup_epochs"].integerValue! > c["training.epochs"].integerValue! {
            throw ctx.error("training.warmup_epochs", c["training.warmup_epochs"],
                            .invalidValue(allowed: "must be ≤ training.epochs (\(c["training.epochs"].integerValue!))"))
        }
        try checkBatchSize(c, vectorBatchNorm: c.hasVectorBatchNorm)
        try checkTestIndices(c)
    }

    /// batch_size ≤ the training samples left after validation and train_limit; no minibatch
    /// of one sample when batch norm sees vector data (its variance would be 0).
    private func checkBatchSize(_ c: ResolvedConfiguration, vectorBatchNorm: Bool) throws {
        let n = Int(c["training.batch_size"].integerValue!)
        let validation = Int(c["dataset.validation"].integerValue!)
        var samples: Int?
        if let sizes = datasetSizes(c["dataset"].objectValue!) {
            guard validation < sizes.train else {
                throw context.error("dataset.validation", c["dataset.validation"],
                                    .invalidValue(allowed: "must be less than the \(sizes.train) samples of the training file"))
            }
            samples = sizes.train - validation
        }
        if let limit = c["dataset.train_limit"].integerValue {
            if let available = samples, limit > available {
                throw context.error("dataset.train_limit", c["dataset.train_limit"], .invalidValue(allowed:
                    "must be ≤ the \(available) training samples" + (validation > 0 ? " left after dataset.validation = \(validation)" : "")
                    + " (1 … \(available)), or null for all of them"))
            }
            samples = min(samples ?? Int(limit), Int(limit))
        }
        guard checksRunKeysAgainstDataset else { return }
        if let samples, n > samples {
            throw context.error("training.batch_size", c["training.batch_size"],
                                .invalidValue(allowed: "must be ≤ the \(samples) training samples (1 … \(samples))"))
        }
        guard vectorBatchNorm else { return }
        let hint = "batch norm on vector data needs at least 2 samples per minibatch"
        if n == 1 {
            throw context.error("training.batch_size", c["training.batch_size"],
                                .invalidValue(allowed: "must be ≥ 2: \(hint) (or set model.bn = \"none\")"))
        }
        if let samples, c["training.drop_last"] == false, samples % n == 1 {
            throw context.error("training.batch_size", c["training.batch_size"], .invalidValue(allowed:
                "leaves a last minibatch of 1 of the \(samples) training samples: \(hint); set training.drop_last = true or change the batch size"))
        }
    }

    /// Every activation image index < the test samples (test_limit, or the test file's size).
    private func checkTestIndices(_ c: ResolvedConfiguration) throws {
        var samples = datasetSizes(c["dataset"].objectValue!)?.test
        if let limit = c["dataset.test_limit"].integerValue {
            if let available = samples, limit > available {
                throw context.error("dataset.test_limit", c["dataset.test_limit"], .invalidValue(allowed:
                    "must be ≤ the \(available) test samples (1 … \(available)), or null for all of them"))
            }
            samples = min(samples ?? Int(limit), Int(limit))
        }
        guard let samples, checksRunKeysAgainstDataset else { return }
        for (i, index) in (c["exports.activation_images"].arrayValue ?? []).enumerated() where index.integerValue! >= samples {
            throw context.error("exports.activation_images[\(i)]", index,
                                .invalidValue(allowed: "must be a test-set index < \(samples)"))
        }
    }
}

extension ResolvedConfiguration {
    /// Whether batch norm sees vector data (n×f), where a minibatch of one sample has variance 0:
    /// `model.bn` ≠ none for lenet5 / lenet5-residual (BN after the fully connected layers), a
    /// `batch_norm` entry after a `flatten` or `fc` in a layer list.
    public var hasVectorBatchNorm: Bool {
        if self["model.architecture"] == "layers" {
            let types = (self["model.layers"].arrayValue ?? []).compactMap { $0.objectValue?["type"]?.stringValue }
            return types.drop { $0 != "flatten" && $0 != "fc" }.contains("batch_norm")
        }
        return self["model.bn"] != "none"
    }
}

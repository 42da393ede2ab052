// The `dataset` section of a run's configuration (SPEC.md "Keys and defaults"), as plain
// Swift. Decoding it from a sweep file lives in Experiments; Codable keys are snake_case.

/// How pixels (bytes 0…255) become Floats.
public enum Normalization: String, Codable, Sendable, CaseIterable {
    /// (p/255 − mean)/std: MNIST's published 0.1307/0.3081, other datasets' training-set values.
    case standardize
    /// p/255, in [0, 1].
    case unit
    /// p as a Float, in [0, 255].
    case none
}

/// Which dataset to load and how (SPEC.md `dataset.*`).
public struct DatasetConfiguration: Codable, Sendable, Equatable {
    /// "mnist", "fashion-mnist" or "idx".
    public var name: String
    /// A directory searched first; for `idx`, relative file paths are resolved against it.
    public var path: String?
    /// For `idx`: the four IDX files (raw or .gz).
    public var trainImages: String?
    public var trainLabels: String?
    public var testImages: String?
    public var testLabels: String?
    /// Pixel normalisation (default `standardize`).
    public var normalize: Normalization
    /// Keep the first N training samples (after the validation hold-out); nil = all.
    public var trainLimit: Int?
    /// Keep the first N test samples; nil = all.
    public var testLimit: Int?
    /// Hold out the last N samples of the training file as the validation split (before
    /// `trainLimit` applies); 0 = no validation split.
    public var validation: Int
    /// For `idx`: the number of classes m; nil = 1 + the largest training label. Known
    /// datasets use their own (10) and ignore this.
    public var classCount: Int?

    enum CodingKeys: String, CodingKey {
        case name, path, normalize, validation
        case trainImages = "train_images", trainLabels = "train_labels"
        case testImages = "test_images", testLabels = "test_labels"
        case trainLimit = "train_limit", testLimit = "test_limit", classCount = "class_count"
    }

    /// A configuration with SPEC.md's defaults (mnist, standardize, no limits, no validation).
    public init(name: String = "mnist", path: String? = nil,
                trainImages: String? = nil, trainLabels: String? = nil,
                testImages: String? = nil, testLabels: String? = nil,
                normalize: Normalization = .standardize, trainLimit: Int? = nil, testLimit: Int? = nil,
                validation: Int = 0, classCount: Int? = nil) {
        self.name = name
        self.path = path
        self.trainImages = trainImages
        self.trainLabels = trainLabels
        self.testImages = testImages
        self.testLabels = testLabels
        self.normalize = normalize
        self.trainLimit = trainLimit
        self.testLimit = testLimit
        self.validation = validation
        self.classCount = classCount
    }

    /// Decodes with SPEC.md's defaults for missing keys.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try c.decodeIfPresent(String.self, forKey: .name) ?? "mnist",
            path: try c.decodeIfPresent(String.self, forKey: .path),
            trainImages: try c.decodeIfPresent(String.self, forKey: .trainImages),
            trainLabels: try c.decodeIfPresent(String.self, forKey: .trainLabels),
            testImages: try c.decodeIfPresent(String.self, forKey: .testImages),
            testLabels: try c.decodeIfPresent(String.self, forKey: .testLabels),
            normalize: try c.decodeIfPresent(Normalization.self, forKey: .normalize) ?? .standardize,
            trainLimit: try c.decodeIfPresent(Int.self, forKey: .trainLimit),
            testLimit: try c.decodeIfPresent(Int.self, forKey: .testLimit),
            validation: try c.decodeIfPresent(Int.self, forKey: .validation) ?? 0,
            classCount: try c.decodeIfPresent(Int.self, forKey: .classCount))
    }

    /// Checks the values that need no files: a known name, the `idx` file keys, non-negative limits.
    /// - Throws: `DatasetError.invalidConfiguration` naming the key.
    public func validate() throws {
        if name != "idx" && KnownDataset.named(name) == nil {
            let known = (KnownDataset.all.map(\.name) + ["idx"]).joined(separator: ", ")
            throw DatasetError.invalidConfiguration("dataset.name '\(name)' is unknown; known: \(known)")
        }
        if name == "idx" {
            let missing = [("train_images", trainImages), ("train_labels", trainLabels),
                           ("test_images", testImages), ("test_labels", testLabels)]
                .filter { $0.1 == nil }.map { "dataset.\($0.0)" }
            if !missing.isEmpty {
                throw DatasetError.invalidConfiguration(
                    "dataset.name 'idx' needs file paths; missing \(missing.joined(separator: ", "))")
            }
        }
        for (key, value) in [("train_limit", trainLimit), ("test_limit", testLimit), ("validation", validation),
                             ("class_count", classCount)] {
            if let value, value < 0 {
                throw DatasetError.invalidConfiguration("dataset.\(key) is \(value); it must be ≥ 0")
            }
        }
    }
}

// A run's numbers in memory, as metrics.h5 stores them (SPEC.md "HDF5 files": /epoch/,
// /step/, /diagnostics/). Losses are mean cross-entropy in nats; accuracies fractions in [0, 1].

/// One row of `/epoch/`: the state after `epoch` epochs (row 0 = the initial weights).
public struct EpochMetrics: Sendable, Equatable {
    /// Epochs completed: 0 for the initial weights, then 1, 2, … (`/epoch/epoch`, int32).
    public var epoch: Int
    /// Row 0: evaluated in inference mode; later rows: the sample-weighted mean over the
    /// epoch's minibatches in training mode (nats).
    public var trainLoss: Double
    /// Same rule as `trainLoss`, fraction correct.
    public var trainAccuracy: Double
    /// Test-set loss in inference mode (nats).
    public var testLoss: Double
    /// Test-set accuracy in inference mode.
    public var testAccuracy: Double
    /// Validation loss in inference mode; nil without a validation set (`dataset.validation` = 0).
    public var validationLoss: Double?
    /// Validation accuracy; nil without a validation set.
    public var validationAccuracy: Double?
    /// λ of the epoch's last step; row 0: λ of the first step.
    public var learningRate: Double
    /// Training wall time of the epoch in seconds (row 0: 0). Excluded from "bit-identical".
    public var seconds: Double

    /// A row from plain values.
    public init(epoch: Int, trainLoss: Double, trainAccuracy: Double, testLoss: Double, testAccuracy: Double,
                validationLoss: Double? = nil, validationAccuracy: Double? = nil,
                learningRate: Double, seconds: Double) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.testLoss = testLoss
        self.testAccuracy = testAccuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.learningRate = learningRate
        self.seconds = seconds
    }
}

/// One row of `/step/`: one SGD step.
public struct StepMetrics: Sendable, Equatable {
    /// The minibatch loss before the update (nats; float32 in the file).
    public var trainLoss: Float
    /// λ used for the step.
    public var learningRate: Double
    /// Training samples seen after this step, counted from the start of the run.
    public var samplesSeen: Int64

    /// A row from plain values.
    public init(trainLoss: Float, learningRate: Double, samplesSeen: Int64) {
        self.trainLoss = trainLoss
        self.learningRate = learningRate
        self.samplesSeen = samplesSeen
    }
}

/// Everything metrics.h5 holds besides its provenance attributes.
public struct MetricsRecord: Sendable, Equatable {
    /// `/epoch/` rows in order, row 0 = the initial weights.
    public var epochs: [EpochMetrics]
    /// `/step/` rows in order, one per SGD step.
    public var steps: [StepMetrics]
    /// `/diagnostics/`: 1-D float64 series by dataset path relative to `/diagnostics/`,
    /// e.g. "P0/grad_norm" → one value per epoch 0…E, like the `/epoch/` rows (the diagnostics
    /// plugin's convention; NaN for an epoch with no value).
    /// Keys are `/`-separated names of letters, digits, `_`, `.` and `-`.
    public var diagnostics: [String: [Double]]

    /// A record from plain values; empty by default.
    public init(epochs: [EpochMetrics] = [], steps: [StepMetrics] = [], diagnostics: [String: [Double]] = [:]) {
        self.epochs = epochs
        self.steps = steps
        self.diagnostics = diagnostics
    }

    /// Whether the rows carry validation metrics: true when the first row does.
    /// `MetricsFile.write` refuses a record where only some rows do.
    public var hasValidation: Bool { epochs.first?.validationLoss != nil }
}

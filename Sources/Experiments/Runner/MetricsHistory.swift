// The numbers of a run in memory, as metrics.h5 stores them (SPEC.md "HDF5 files").

/// One row of /epoch/ (row 0 = the initial weights, evaluated in inference mode).
public struct EpochRow: Sendable, Equatable {
    public var epoch: Int
    /// Mean cross-entropy (nats) and accuracy in [0, 1]; rows ≥ 1: sample-weighted means
    /// over the epoch's minibatches in training mode.
    public var trainLoss: Double
    public var trainAccuracy: Double
    public var testLoss: Double
    public var testAccuracy: Double
    /// Only with a validation set.
    public var validationLoss: Double?
    public var validationAccuracy: Double?
    /// λ of the epoch's last step (row 0: the first step's λ).
    public var learningRate: Double
    /// Training wall time of the epoch, seconds.
    public var seconds: Double

    public init(epoch: Int, trainLoss: Double, trainAccuracy: Double, testLoss: Double, testAccuracy: Double,
                validationLoss: Double? = nil, validationAccuracy: Double? = nil, learningRate: Double, seconds: Double) {
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

/// One row of /step/.
public struct StepRow: Sendable, Equatable {
    public var trainLoss: Float
    public var learningRate: Double
    public var samplesSeen: Int64

    public init(trainLoss: Float, learningRate: Double, samplesSeen: Int64) {
        self.trainLoss = trainLoss
        self.learningRate = learningRate
        self.samplesSeen = samplesSeen
    }
}

/// All metrics of a run so far.
public struct MetricsHistory: Sendable, Equatable {
    public var epochs: [EpochRow] = []
    public var steps: [StepRow] = []
    /// /diagnostics/: "P0/grad_norm" → one value per epoch (diagnostics plugin).
    public var diagnostics: [String: [Double]] = [:]

    public init() {}
}

// Learning-rate schedules with optional linear warm-up (SPEC.md `training.schedule`,
// `training.warmup_epochs`).
//
// Sources: step decay (torch.optim.lr_scheduler.StepLR), cosine annealing without restarts
// (Loshchilov & Hutter 2017, evaluated per step), linear warm-up (Goyal et al. 2017).

import RealModule

/// λ as a function of the step: warm-up, then a constant, step or cosine schedule.
public struct LearningRateSchedule: Sendable, Equatable {
    /// The shape of the schedule after warm-up.
    public enum Kind: Sendable, Equatable {
        /// λ throughout.
        case constant
        /// λ · γ^⌊e / k⌋ in (0-based) epoch e: multiplied by γ after every k epochs.
        case step(everyEpochs: Int, gamma: Double)
        /// min + (λ − min)(1 + cos(π t / T)) / 2 per step t over the T steps after warm-up.
        case cosine(minimum: Double)
    }

    /// λ, the base learning rate (> 0).
    public var baseRate: Double
    public var kind: Kind
    /// Warm-up length in epochs: λ · (t + 1) / W for steps t < W = warmupEpochs · stepsPerEpoch.
    public var warmupEpochs: Int

    public init(baseRate: Double, kind: Kind = .constant, warmupEpochs: Int = 0) {
        self.baseRate = baseRate
        self.kind = kind
        self.warmupEpochs = warmupEpochs
    }

    /// λ for global step `step` (0-based) of a run of `epochs` epochs of `stepsPerEpoch` steps.
    ///
    /// Overflow-safe for any arguments: step counts are products of epochs and steps per epoch,
    /// which saturate at `Int.max` instead of trapping (the configuration bounds epochs at
    /// 100,000, so real runs never get near it); negative arguments count as 0.
    public func rate(step: Int, stepsPerEpoch: Int, epochs: Int) -> Double {
        let step = max(step, 0), stepsPerEpoch = max(stepsPerEpoch, 0)
        let warmupSteps = Self.saturatingProduct(max(warmupEpochs, 0), stepsPerEpoch)
        if step < warmupSteps { return baseRate * Double(step + 1) / Double(warmupSteps) }
        switch kind {
        case .constant:
            return baseRate
        case let .step(every, gamma):
            let epoch = step / max(stepsPerEpoch, 1)
            return baseRate * Double.pow(gamma, Double(epoch / max(every, 1)))
        case let .cosine(minimum):
            // Both terms are ≥ 0, so the difference cannot overflow.
            let total = max(Self.saturatingProduct(max(epochs, 0), stepsPerEpoch) - warmupSteps, 1)
            let t = Double(min(step - warmupSteps, total))
            return minimum + (baseRate - minimum) * (1 + Double.cos(Double.pi * t / Double(total))) / 2
        }
    }

    /// a · b for a, b ≥ 0, or `Int.max` when the product does not fit.
    static func saturatingProduct(_ a: Int, _ b: Int) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : product
    }
}

// The typed values the engine takes, read from a resolved configuration: Model's
// ModelConfiguration (model.*), Training's LearningRateSchedule (training.learning_rate,
// learning_rate_scaling, schedule, warmup_epochs) and Layers' LossReduction.
//
// Every accessor relies on the tree having been validated by ConfigurationResolver (the only
// way to make a ResolvedConfiguration), so a missing or ill-typed value is a programmer error.

import Layers
import Model
import Training

extension ResolvedConfiguration {
    /// `model.*` as the network builder takes it (SPEC.md "Keys and defaults").
    public var modelConfiguration: ModelConfiguration {
        var model = ModelConfiguration()
        model.architecture = ModelConfiguration.Architecture(rawValue: string("model.architecture"))!
        model.batchNorm = ModelConfiguration.BatchNormPlacement(rawValue: string("model.bn"))!
        model.residual = self["model.residual"].boolValue!
        model.blocksPerStage = integer("model.blocks_per_stage")
        model.activation = ResolvedConfiguration.activation(named: string("model.activation"))!
        model.initialization = ModelConfiguration.Initialization(rawValue: string("model.init"))!
        model.batchNormMomentum = self["model.bn_momentum"].numberValue!
        model.batchNormEpsilon = self["model.bn_epsilon"].numberValue!
        model.layers = (self["model.layers"].arrayValue ?? []).map(ResolvedConfiguration.layerSpec)
        return model
    }

    /// λ per step: the effective learning rate (after `learning_rate_scaling`), the schedule
    /// and the warm-up.
    public var learningRateSchedule: LearningRateSchedule {
        let kind: LearningRateSchedule.Kind
        switch string("training.schedule.type") {
        case "step":
            kind = .step(everyEpochs: integer("training.schedule.step_epochs"),
                         gamma: self["training.schedule.gamma"].numberValue!)
        case "cosine":
            kind = .cosine(minimum: self["training.schedule.min_lr"].numberValue!)
        default:
            kind = .constant
        }
        return LearningRateSchedule(baseRate: effectiveLearningRate, kind: kind,
                                    warmupEpochs: integer("training.warmup_epochs"))
    }

    /// `training.loss_reduction`.
    public var lossReduction: LossReduction { LossReduction(rawValue: string("training.loss_reduction"))! }

    /// The activation a `model.activation` or layer-list name stands for (leaky_relu: slope 0.01,
    /// PyTorch's default).
    static func activation(named name: String) -> ActivationKind? {
        switch name {
        case "relu": return .relu
        case "leaky_relu": return .leakyReLU(negativeSlope: 0.01)
        case "tanh": return .tanh
        case "sigmoid": return .sigmoid
        default: return nil
        }
    }

    /// A resolved layer entry (LayerList.swift's grammar, options filled in) as a LayerSpec.
    static func layerSpec(_ entry: JSONValue) -> LayerSpec {
        let type = entry[path: "type"]!.stringValue!
        func option(_ name: String) -> Int { Int(entry[path: name]!.integerValue!) }
        switch type {
        case "conv": return .conv(outputChannels: option("out"), kernelSize: option("k"), stride: option("s"), padding: option("p"))
        case "maxpool": return .maxPool(kernelSize: option("k"), stride: option("s"), padding: option("p"))
        case "fc": return .fullyConnected(outputFeatures: option("out"))
        case "shortcut": return .shortcut(span: option("span"))
        case "batch_norm": return .batchNorm
        case "flatten": return .flatten
        case "activation": return .activation(nil)
        default:
            guard let kind = activation(named: type) else { preconditionFailure("unchecked layer type \(type)") }
            return .activation(kind)
        }
    }

    func string(_ key: String) -> String {
        guard let value = self[key].stringValue else { preconditionFailure("\(key) is not a string in a resolved configuration") }
        return value
    }

    func integer(_ key: String) -> Int {
        guard let value = self[key].integerValue else { preconditionFailure("\(key) is not an integer in a resolved configuration") }
        return Int(value)
    }
}

// The plugin protocol: everything the runner does around the training loop (SPEC.md
// "Built-in plugins"; CONVENTIONS.md #11: an event enum, a small protocol, a decision).

/// The events of a run, in order: one `runStart`, then `stepEnd` after every SGD step and
/// `epochEnd` after every epoch's evaluation (and once for epoch 0, the initial weights),
/// then one `runEnd`.
public enum TrainingEvent: Sendable, Equatable {
    /// The run starts (`resumed`: from checkpoint.h5).
    case runStart(resumed: Bool)
    /// An SGD step ended; `context.lastStep` has its numbers.
    case stepEnd
    /// An epoch ended and was evaluated; `context.metrics` has its row (epoch 0 = initial weights).
    case epochEnd
    /// The run ends with this state (completed, diverged, failed or interrupted).
    case runEnd(RunState)
}

/// What a plugin asks the runner to do next.
public enum PluginDecision: Sendable, Equatable {
    /// Go on.
    case proceed
    /// End the run now with `state` (completed for early stopping, diverged for the
    /// divergence guard) and `reason` (status.json's stop_reason or error).
    case stop(state: RunState, reason: String)
}

/// A plugin: a type the runner creates per run from its configuration entry
/// (`{"name": …, <options>}` in `plugins`) and calls at every event.
///
/// Register it by passing the type to `Exp.main(plugins:)` or `PluginRegistry`. A plugin must
/// not change the network or the data: it gets read-only access through `RunContext`.
public protocol ExperimentPlugin: AnyObject {
    /// The name used in sweep files, e.g. "confusion-matrix". [a-z0-9-]+.
    static var name: String { get }
    /// True when the plugin only observes (writes files, prints), so its entry does not change
    /// the run id (SPEC.md "Run id"). Default: true.
    static var observesOnly: Bool { get }
    /// The option keys the plugin accepts besides "name" and "enabled" (nil: any).
    static var optionKeys: [String]? { get }
    /// Whether the plugin runs when the sweep does not mention it. Default: false.
    static var enabledByDefault: Bool { get }

    /// Creates the plugin for one run from its options (the entry without "name").
    /// - Throws: an error naming the option for a bad value.
    init(options: JSONObject) throws

    /// Handles one event. Throwing fails the run with the error's message.
    func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision
}

extension ExperimentPlugin {
    public static var observesOnly: Bool { true }
    public static var optionKeys: [String]? { [] }
    public static var enabledByDefault: Bool { false }
}

/// An error in a plugin's options.
public struct PluginOptionError: Error, CustomStringConvertible {
    public let plugin: String
    public let option: String
    public let message: String
    public init(plugin: String, option: String, message: String) {
        self.plugin = plugin
        self.option = option
        self.message = message
    }
    public var description: String { "plugin \(plugin): option \(option): \(message)" }
}

/// Typed reading of a plugin's options (its entry in `plugins`, without `name`): an absent
/// option takes its default; one of the wrong JSON type or outside its range is a
/// `PluginOptionError`, so that `exp run` refuses the sweep when it is planned (exit 64)
/// instead of training with a silently replaced value.
public struct PluginOptions {
    /// The plugin's name, for the messages.
    public let plugin: String
    /// The options as written in the sweep.
    public let values: JSONObject

    public init(plugin: String, values: JSONObject) {
        self.plugin = plugin
        self.values = values
    }

    /// An integer option in `range` (`8`, not `"8"` or `8.5`).
    /// - Throws: `PluginOptionError` for another JSON type or a value outside `range`.
    public func integer(_ name: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let given = values[name] else { return value }
        guard let integer = given.integerValue, let result = Int(exactly: integer), range.contains(result) else {
            throw PluginOptionError(plugin: plugin, option: name,
                                    message: "\(given.canonicalJSON) must be an integer in \(range.lowerBound)…\(range.upperBound)")
        }
        return result
    }

    /// A finite number option ≥ `minimum`.
    /// - Throws: `PluginOptionError` for another JSON type or a smaller value.
    public func number(_ name: String, default value: Double, minimum: Double) throws -> Double {
        guard let given = values[name] else { return value }
        guard let number = given.numberValue, number.isFinite, number >= minimum else {
            throw PluginOptionError(plugin: plugin, option: name,
                                    message: "\(given.canonicalJSON) must be a number ≥ \(minimum == minimum.rounded() ? String(Int(minimum)) : String(minimum))")
        }
        return number
    }

    /// A string option that is one of `choices`; nil when absent.
    /// - Throws: `PluginOptionError` for another JSON type or a string not in `choices`.
    public func string(_ name: String, oneOf choices: [String]) throws -> String? {
        guard let given = values[name] else { return nil }
        guard let string = given.stringValue, choices.contains(string) else {
            throw PluginOptionError(plugin: plugin, option: name,
                                    message: "\(given.canonicalJSON) must be one of \(choices.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        return string
    }
}

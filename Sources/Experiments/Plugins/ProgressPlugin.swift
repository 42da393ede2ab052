// progress: a progress bar on a terminal, one plain line per epoch otherwise (stderr).

import Foundation

/// Prints progress to stderr: on a terminal a bar with epoch, step, loss, samples/s and ETA
/// (redrawn at most ten times a second); otherwise one line per epoch. When the process trains
/// several runs at once (`exp run --jobs N`), no bar (the runs' redraws would overwrite each
/// other) and every line starts with the run's directory name (`<run>: `); alone, the run's
/// first line names it as `<sweep>/<run>: ` and the lines after it are indented. A failed
/// write to stderr is ignored: training goes on.
public final class ProgressPlugin: ExperimentPlugin {
    public static let name = "progress"
    public static let enabledByDefault = true

    let isTerminal: Bool
    /// Where the text goes (stderr; tests capture it).
    let write: (String) -> Void
    var epochStart = Date()
    var lastDraw = Date.distantPast
    var samplesThisEpoch = 0

    public convenience init(options: JSONObject) throws {
        self.init(isTerminal: isatty(STDERR_FILENO) == 1) { StandardStreams.writeDiagnostic($0) }
    }

    /// A progress printer that sends its text to `write`, drawing bars when `isTerminal`.
    init(isTerminal: Bool, write: @escaping (String) -> Void) {
        self.isTerminal = isTerminal
        self.write = write
    }

    public func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision {
        let shared = context.concurrentRuns > 1
        let isTerminal = self.isTerminal && !shared
        switch event {
        case let .runStart(resumed):
            write((shared ? "" : "\(context.sweepName)/") + "\(Self.runName(context)): "
                  + (resumed ? "resuming at epoch \(context.epoch), step \(context.step)" : "starting") + "\n")
            epochStart = Date()
        case .stepEnd:
            guard let last = context.lastStep else { return .proceed }
            samplesThisEpoch += last.count
            guard isTerminal else { return .proceed }
            let now = Date()
            guard now.timeIntervalSince(lastDraw) > 0.1 else { return .proceed }
            lastDraw = now
            let stepInEpoch = context.step - context.epoch * context.stepsPerEpoch
            let rate = Double(samplesThisEpoch) / max(now.timeIntervalSince(epochStart), 1e-9)
            // In Double: epochs × steps × batch size may exceed Int for absurd epoch counts.
            let remainingSteps = Double(context.epochs - context.epoch) * Double(context.stepsPerEpoch) - Double(stepInEpoch)
            let eta = remainingSteps * Double(last.count) / max(rate, 1e-9)
            write("\r" + Self.barLine(epoch: context.epoch + 1, epochs: context.epochs, stepInEpoch: stepInEpoch,
                                      stepsPerEpoch: context.stepsPerEpoch, step: context.step, loss: last.loss,
                                      samplesPerSecond: rate, eta: eta))
        case .epochEnd:
            guard let row = context.metrics.epochs.last else { return .proceed }
            if isTerminal { write("\r\u{1B}[K") }
            let rate = Double(samplesThisEpoch) / max(row.seconds, 1e-9)
            write(Self.indent(context) + Self.epochLine(row, epochs: context.epochs, samplesPerSecond: rate) + "\n")
            samplesThisEpoch = 0
            epochStart = Date()
        case let .runEnd(state):
            if isTerminal { write("\r\u{1B}[K") }
            write(Self.indent(context) + "\(state.rawValue) after \(context.epoch) epoch\(context.epoch == 1 ? "" : "s")\n")
        }
        return .proceed
    }

    /// The run's directory name.
    static func runName(_ context: RunContext) -> String {
        String(context.runDirectory.split(separator: "/").last ?? "")
    }

    /// What starts a line about the run: two spaces, or the run's directory name when other runs
    /// print at the same time.
    static func indent(_ context: RunContext) -> String {
        context.concurrentRuns > 1 ? runName(context) + ": " : "  "
    }

    /// "  epoch 3/5 [#####...............] step 2811 loss 0.1234 28000 samples/s ETA 1m05s " (the
    /// bar: steps done in the epoch). Integers are Swift's (64-bit), never a C `%d`.
    static func barLine(epoch: Int, epochs: Int, stepInEpoch: Int, stepsPerEpoch: Int, step: Int, loss: Double,
                        samplesPerSecond rate: Double, eta: Double) -> String {
        let width = 20, filled = min(width, max(0, width * stepInEpoch / max(stepsPerEpoch, 1)))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        return "  epoch \(epoch)/\(epochs) [\(bar)] step \(step) "
            + String(format: "loss %.4f %.0f samples/s ETA ", loss, rate) + duration(eta) + " "
    }

    /// "epoch 3/5: train loss 0.1234 acc 96.10%, test loss …, 2.1 s, 28000 samples/s" (no
    /// time and rate for epoch 0). Integers are Swift's (64-bit), never a C `%d`.
    static func epochLine(_ row: EpochMetrics, epochs: Int, samplesPerSecond rate: Double) -> String {
        "epoch \(row.epoch)/\(epochs): "
            + String(format: "train loss %.4f acc %.2f%%, test loss %.4f acc %.2f%%", row.trainLoss, 100 * row.trainAccuracy,
                     row.testLoss, 100 * row.testAccuracy)
            + (row.epoch > 0 ? String(format: ", %.1f s, %.0f samples/s", row.seconds, rate) : "")
    }

    /// "1m05s", "2h03m"; "?" when not finite or beyond any sensible estimate.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds < 1e15 else { return "?" }
        let s = Int(seconds.rounded())
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return s >= 3600 ? "\(s / 3600)h\(two(s / 60 % 60))m" : "\(s / 60)m\(two(s % 60))s"
    }
}

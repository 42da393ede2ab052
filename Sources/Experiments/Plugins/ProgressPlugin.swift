// progress: a progress bar on a terminal, one plain line per epoch otherwise (stderr).

import Foundation

/// Prints progress to stderr: on a terminal a bar with epoch, step, loss, samples/s and ETA
/// (redrawn at most ten times a second); otherwise one line per epoch. When the process trains
/// several runs at once (`exp run --jobs N`), no bar (the runs' redraws would overwrite each
/// other) and every line starts with the run's directory name.
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
        self.init(isTerminal: isatty(STDERR_FILENO) == 1) { FileHandle.standardError.write(Data($0.utf8)) }
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
            write("\(context.sweepName)/\(Self.runName(context)): "
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
            let remainingSteps = (context.epochs - context.epoch) * context.stepsPerEpoch - stepInEpoch
            let eta = Double(remainingSteps * last.count) / max(rate, 1e-9)
            let width = 20, filled = width * stepInEpoch / max(context.stepsPerEpoch, 1)
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            write(String(format: "\r  epoch %d/%d [%@] step %d loss %.4f %.0f samples/s ETA %@ ",
                         context.epoch + 1, context.epochs, bar, context.step, last.loss, rate, Self.duration(eta)))
        case .epochEnd:
            guard let row = context.metrics.epochs.last else { return .proceed }
            if isTerminal { write("\r\u{1B}[K") }
            let rate = Double(samplesThisEpoch) / max(row.seconds, 1e-9)
            write(Self.indent(context) + String(format: "epoch %d/%d: train loss %.4f acc %.2f%%, test loss %.4f acc %.2f%%",
                         row.epoch, context.epochs, row.trainLoss, 100 * row.trainAccuracy, row.testLoss,
                         100 * row.testAccuracy)
                  + (row.epoch > 0 ? String(format: ", %.1f s, %.0f samples/s", row.seconds, rate) : "") + "\n")
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

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%dh%02dm", s / 3600, s / 60 % 60) : String(format: "%dm%02ds", s / 60, s % 60)
    }
}

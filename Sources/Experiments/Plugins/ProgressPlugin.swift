// progress: a progress bar on a terminal, one plain line per epoch otherwise (stderr).

import Foundation

/// Prints progress to stderr: on a terminal a bar with epoch, step, loss, samples/s and ETA
/// (redrawn at most ten times a second); otherwise one line per epoch.
public final class ProgressPlugin: ExperimentPlugin {
    public static let name = "progress"
    public static let enabledByDefault = true

    let isTerminal = isatty(STDERR_FILENO) == 1
    var epochStart = Date()
    var lastDraw = Date.distantPast
    var samplesThisEpoch = 0

    public init(options: JSONObject) throws {}

    public func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision {
        switch event {
        case let .runStart(resumed):
            write("\(context.sweepName)/\(context.runDirectory.split(separator: "/").last ?? ""): "
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
            write(String(format: "  epoch %d/%d: train loss %.4f acc %.2f%%, test loss %.4f acc %.2f%%",
                         row.epoch, context.epochs, row.trainLoss, 100 * row.trainAccuracy, row.testLoss,
                         100 * row.testAccuracy)
                  + (row.epoch > 0 ? String(format: ", %.1f s, %.0f samples/s", row.seconds, rate) : "") + "\n")
            samplesThisEpoch = 0
            epochStart = Date()
        case let .runEnd(state):
            if isTerminal { write("\r\u{1B}[K") }
            write("  \(state.rawValue) after \(context.epoch) epoch\(context.epoch == 1 ? "" : "s")\n")
        }
        return .proceed
    }

    func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%dh%02dm", s / 3600, s / 60 % 60) : String(format: "%dm%02ds", s / 60, s % 60)
    }
}

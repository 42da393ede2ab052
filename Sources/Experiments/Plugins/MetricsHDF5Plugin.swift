// metrics-hdf5: metrics.h5, rewritten whole (tmp + rename) at every epoch end and at the end
// of the run (SPEC.md "HDF5 files"), so a diverged or interrupted run keeps its numbers.

/// Writes results/<sweep>/<run>/metrics.h5 from the run's metrics and provenance.
public final class MetricsHDF5Plugin: ExperimentPlugin {
    public static let name = "metrics-hdf5"
    public static let enabledByDefault = true

    public init(options: JSONObject) throws {}

    public func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision {
        switch event {
        case .epochEnd, .runEnd:
            try MetricsFile.write(context.metrics, to: context.path("metrics.h5"), provenance: context.provenance,
                                  commits: context.commits)
        case .runStart, .stepEnd:
            break
        }
        return .proceed
    }
}

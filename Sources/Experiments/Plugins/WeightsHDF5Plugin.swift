// TEMPORARY stub until Results lands.
public final class WeightsHDF5Plugin: ExperimentPlugin {
    public static let name = "weights-hdf5"
    public static let enabledByDefault = true
    public init(options: JSONObject) throws {}
    public func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision { .proceed }
}

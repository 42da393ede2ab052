// checkpoint.h5 ↔ CheckpointState (TEMPORARY: wired to Results' CheckpointFile on merge).

enum CheckpointStore {
    static func save(_ state: CheckpointState, context: RunContext, to path: String) throws {}
    static func load(from path: String, runID: String) throws -> CheckpointState {
        throw ResultsFileDamage(path: path, reason: "checkpoints not wired yet")
    }
}

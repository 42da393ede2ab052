import Foundation
import HDF5

extension CommitQueue {
    /// Submits a step that blocks the queue until the returned semaphore is signalled, so a
    /// test knows which later steps have not run yet.
    public func blockUntilSignalled(path: String = "gate") -> DispatchSemaphore {
        let gate = DispatchSemaphore(value: 0)
        submit(path: path, commit: { gate.wait() }, abandon: {})
        return gate
    }
}

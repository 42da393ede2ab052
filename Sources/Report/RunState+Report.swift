// The order in which the report lists statuses (issue 6's header order).

import Experiments

extension RunState {
    /// completed, running, crashed, diverged, failed, interrupted, pending, damaged.
    public static let reportOrder: [RunState] = [.completed, .running, .crashed, .diverged, .failed, .interrupted, .pending, .damaged]
}

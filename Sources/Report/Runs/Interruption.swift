import Foundation

/// SIGINT handling: the first Ctrl-C sets a flag that the scheduler (and long runs, via `shouldStop`) poll,
/// so the report stops between steps with a consistent cache; a second Ctrl-C kills the process.
public enum Interruption {
    nonisolated(unsafe) private static var requested: sig_atomic_t = 0

    public static func installHandler() {
        signal(SIGINT) { _ in
            Interruption.requested = 1
            signal(SIGINT, SIG_DFL)
        }
    }

    public static var isRequested: Bool { requested != 0 }

    /// For tests: simulate or clear a request.
    public static func setRequested(_ value: Bool) { requested = value ? 1 : 0 }
}

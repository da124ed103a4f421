import Foundation

/// Progress on stderr: a redrawn bar with ETA when stderr is a terminal, one plain line per run otherwise,
/// nothing with `quiet`. Timing here is for the human only; it never reaches an output file.
public final class ProgressReporter: @unchecked Sendable {
    public enum Style: Sendable { case quiet, lines, bar }

    let style: Style
    let write: (String) -> Void
    private var total = 0
    private var done = 0
    private var trained = 0
    private var trainingSeconds = 0.0
    private var started = DispatchTime.now()

    public init(style: Style, write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.style = style
        self.write = write
    }

    /// `bar` on a terminal, `lines` otherwise, `quiet` when asked.
    public static func standard(quiet: Bool) -> ProgressReporter {
        ProgressReporter(style: quiet ? .quiet : (isatty(STDERR_FILENO) != 0 ? .bar : .lines))
    }

    func begin(total: Int) {
        self.total = total
        done = 0
        if style == .bar, total > 0 { draw(current: "") }
    }

    func willRun(_ label: String) {
        started = DispatchTime.now()
        if style == .bar { draw(current: label) }
    }

    func didRun(_ label: String, cached: Bool) {
        done += 1
        var seconds = 0.0
        if !cached {
            seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            trained += 1
            trainingSeconds += seconds
        }
        switch style {
        case .quiet: break
        case .lines:
            write("[\(done)/\(total)] \(label): \(cached ? "cached" : String(format: "%.1f s", seconds))\n")
        case .bar:
            draw(current: label)
            if done == total { write("\n") }
        }
    }

    func finish() {
        if style == .bar, done < total { write("\n") }
    }

    private func draw(current: String) {
        let width = 28
        let filled = total == 0 ? width : width * done / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        var eta = ""
        if trained > 0, done < total {
            let remaining = trainingSeconds / Double(trained) * Double(total - done)
            eta = " ETA " + Self.clock(remaining)
        }
        let name = current.count > 40 ? String(current.prefix(39)) + "…" : current
        write("\r\u{1B}[2K\(bar) \(done)/\(total)\(eta) \(name)")
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Clocks and memory of the running process, for `ngd bench` only (the engine itself reads no clock).
///
/// Wall time alone misleads on a shared machine: CPU time (user + system, all threads) shows whether a slow
/// repeat was our work or waiting for a core.
public enum ProcessClock {
    /// Monotonic wall-clock seconds (arbitrary origin).
    public static func wallSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// User + system CPU seconds of all threads of this process (`getrusage`).
    public static func cpuSeconds() -> Double {
        let u = usage()
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) * 1e-6
            + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) * 1e-6
    }

    /// Peak resident set size in bytes: on Linux VmHWM of /proc/self/status, the counter `resetPeakResident`
    /// resets (`ru_maxrss` also keeps the peaks that exited threads recorded, so it can predate the reset);
    /// elsewhere `ru_maxrss` (bytes on macOS).
    public static func peakResidentBytes() -> Int {
        #if os(Linux)
        if let status = readSmallFile("/proc/self/status"),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kib = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) {
            return kib * 1024
        }
        return Int(usage().ru_maxrss) * 1024
        #else
        return Int(usage().ru_maxrss)
        #endif
    }

    /// Current resident set size in bytes (/proc/self/statm), nil where unavailable.
    public static func currentResidentBytes() -> Int? {
        guard let text = readSmallFile("/proc/self/statm") else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Resets the peak RSS to the current RSS (Linux ≥ 4.0: "5" to /proc/self/clear_refs), so that the
    /// next `peakResidentBytes()` is the peak of what follows. Returns false where that is not possible.
    @discardableResult
    public static func resetPeakResident() -> Bool {
        #if os(Linux)
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return write(fd, "5", 1) == 1
        #else
        return false
        #endif
    }

    /// The first `limit` bytes (1 MiB) of a small text file such as /proc/cpuinfo; nil if it cannot be read.
    static func readSmallFile(_ path: String, limit: Int = 1 << 20) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while bytes.count < limit {
            let got = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if got <= 0 { break }
            bytes.append(contentsOf: chunk[0..<got])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func usage() -> rusage {
        var u = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &u)
        #else
        getrusage(RUSAGE_SELF, &u)
        #endif
        return u
    }
}

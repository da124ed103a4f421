import Foundation

/// SOURCE_DATE_EPOCH (reproducible-builds.org): seconds since 1970-01-01T00:00:00Z, the one date a reproducible
/// output may carry. Unset or empty means "not given"; any other value must be a non-negative decimal integer, and
/// a malformed one is an error for the caller to report, never silently replaced by the default date.
public enum SourceDateEpoch {
    public static let variable = "SOURCE_DATE_EPOCH"
    /// 9999-12-31T23:59:59Z: the last second an ISO 8601 date with a four-digit year can show.
    public static let maximumSeconds = 253_402_300_799

    public struct Malformed: Error, Equatable, Sendable, CustomStringConvertible {
        public var value: String
        public var description: String {
            "expected a non-negative integer number of seconds since 1970 (at most \(SourceDateEpoch.maximumSeconds)), "
                + "got '\(value)'"
        }
    }

    /// The seconds `value` names; nil when it is nil or empty.
    public static func seconds(from value: String?) throws(Malformed) -> Int? {
        guard let value, !value.isEmpty else { return nil }
        guard value.utf8.count <= 12, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let seconds = Int(value),
              seconds <= maximumSeconds else {
            throw Malformed(value: value)
        }
        return seconds
    }

    /// The seconds the environment's SOURCE_DATE_EPOCH names; nil when it is unset or empty.
    public static func seconds(in environment: [String: String] = ProcessInfo.processInfo.environment) throws(Malformed) -> Int? {
        try seconds(from: environment[variable])
    }
}

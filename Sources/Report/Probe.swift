import NGD
import Render
import Yams
import Mustache
import Crypto
public enum ReportProbe { public static func hello() -> String { "\(BLASProbe.coreName) \(CairoProbe.version)" } }

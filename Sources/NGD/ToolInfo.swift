/// The tool's identity, recorded in every result and used as part of the run-cache key.
public enum ToolInfo {
    public static let name = "ngd"
    public static let version = "0.1.0"
}

/// The tool's identity, recorded in every result and used as part of the run-cache key.
public enum ToolInfo {
    public static let name = "ngd"
    /// Part of every cache key: bump it whenever the numbers a run produces change (0.2.0: in-place Cholesky
    /// with dtrsm solves, popcount kernel in C, early stop), so that no cached result of older code is reused.
    public static let version = "0.2.0"
}

/// Path arithmetic on the text of a path. Foundation's `NSString.deletingLastPathComponent` traps on a
/// one-character relative path ("o", ".", "a/"), so output paths, which the user types, never go through it.
enum PathText {
    /// The directory part of `path`: "" for a bare name, "/" for a name at the root; trailing slashes ignored.
    static func parent(of path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        let parent = trimmed[..<slash]
        return parent.isEmpty ? "/" : String(parent)
    }

    /// The last component of `path` ("" for "" and "/"); trailing slashes ignored.
    static func lastComponent(of path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        guard trimmed != "/" else { return "" }
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    static func withoutTrailingSlashes(_ path: String) -> String {
        var text = Substring(path)
        while text.count > 1, text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }
}

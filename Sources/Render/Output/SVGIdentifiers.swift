import Foundation

/// Cairo numbers SVG ids (`surfaceN`, `glyphF-G`, `clipN`, `imageN`) with process-global counters, so the same
/// figure gives different bytes later in a process and two inlined SVGs collide. This rewrites every id, and every
/// `#id` / `url(#id)` reference, to `<prefix>-<kind><n>` numbered per kind in order of first definition.
public enum SVGIdentifiers {
    public static func prefixing(_ svg: String, with prefix: String) -> String {
        let safePrefix = String(prefix.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
        let p = safePrefix.isEmpty || !(safePrefix.first!.isLetter || safePrefix.first == "_") ? "f" + safePrefix : safePrefix
        let ns = svg as NSString
        guard let defRegex = try? NSRegularExpression(pattern: #"\bid="([^"]+)""#),
              let anyRegex = try? NSRegularExpression(pattern: ##"(\bid="|href="#|url\(#)([^")]+)"##) else { return svg }
        var mapping: [String: String] = [:]
        var perKind: [String: Int] = [:]
        for m in defRegex.matches(in: svg, range: NSRange(location: 0, length: ns.length)) {
            let old = ns.substring(with: m.range(at: 1))
            guard mapping[old] == nil else { continue }
            let kind = String(old.prefix { $0.isLetter })
            let k = (perKind[kind] ?? 0) + 1
            perKind[kind] = k
            mapping[old] = "\(p)-\(kind.isEmpty ? "id" : kind)\(k)"
        }
        var out = ""
        out.reserveCapacity(svg.utf8.count + mapping.count * p.count)
        var last = 0
        for m in anyRegex.matches(in: svg, range: NSRange(location: 0, length: ns.length)) {
            let idRange = m.range(at: 2)
            out += ns.substring(with: NSRange(location: last, length: idRange.location - last))
            let old = ns.substring(with: idRange)
            out += mapping[old] ?? old
            last = idRange.location + idRange.length
        }
        out += ns.substring(from: last)
        return out
    }

    /// All ids defined in an SVG and all references, for checks.
    public static func definedIds(in svg: String) -> [String] { matches(#"\bid="([^"]+)""#, svg) }
    public static func references(in svg: String) -> [String] { matches(##"(?:href="#|url\(#)([^")]+)"##, svg) }

    static func matches(_ pattern: String, _ s: String) -> [String] {
        guard let r = try? NSRegularExpression(pattern: pattern) else { return [] }
        let ns = s as NSString
        return r.matches(in: s, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) }
    }
}

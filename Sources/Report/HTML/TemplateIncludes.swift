import Mustache

/// The partials each template includes, found by scanning its tags (following set-delimiter tags), so that a
/// template set that includes itself, directly or through others, is refused when it is loaded: the Mustache
/// library has no depth limit and would recurse until the stack overflows.
enum TemplateIncludes {
    /// Partial names `{{> name}}` and `{{< name}}` in `text`; `dynamic` when it has a `{{>*name}}` whose target the
    /// data would choose.
    static func partials(in text: String) -> (names: [String], dynamic: Bool) {
        var open = "{{", close = "}}"
        var names: [String] = []
        var dynamic = false
        var position = text.startIndex
        while let start = text.range(of: open, range: position..<text.endIndex),
              let end = text.range(of: close, range: start.upperBound..<text.endIndex) {
            let tag = text[start.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespaces)
            position = end.upperBound
            if tag.count >= 2, tag.hasPrefix("="), tag.hasSuffix("=") {
                let delimiters = tag.dropFirst().dropLast().split(whereSeparator: { $0 == " " || $0 == "\t" })
                if delimiters.count == 2 { (open, close) = (String(delimiters[0]), String(delimiters[1])) }
            } else if let kind = tag.first, kind == ">" || kind == "<" {
                let name = tag.dropFirst().trimmingCharacters(in: .whitespaces)
                if name.hasPrefix("*") { dynamic = true } else { names.append(name) }
            }
        }
        return (names, dynamic)
    }

    /// Throws `ReportError.template` for a template that includes itself (naming the cycle) or a dynamic partial.
    static func checkForCycles(_ texts: [String: String], sources: [String: String]) throws {
        var includes: [String: [String]] = [:]
        for (name, text) in texts {
            let found = partials(in: text)
            if found.dynamic {
                throw ReportError.template(name: sources[name] ?? name,
                                           message: "dynamic partials ({{>*name}}) are not supported: the data would "
                                               + "choose the template")
            }
            includes[name] = found.names.filter { texts[$0] != nil }
        }
        var finished = Set<String>()
        func visit(_ name: String, path: [String]) throws {
            if let loop = path.firstIndex(of: name) {
                let cycle = (path[loop...] + [name]).joined(separator: " → ")
                let message = path.count - loop == 1 ? "includes itself ({{> \(name)}})" : "includes itself through "
                    + "\(cycle)"
                throw ReportError.template(name: sources[name] ?? name, message: message)
            }
            guard !finished.contains(name) else { return }
            for next in includes[name] ?? [] { try visit(next, path: path + [name]) }
            finished.insert(name)
        }
        for name in texts.keys.sorted() { try visit(name, path: []) }
    }

    /// A parser error as one line: position and what is wrong, not the library's `ParserError(…)` dump.
    static func describe(_ error: Error) -> String {
        guard let parserError = error as? MustacheTemplate.ParserError else { return "\(error)" }
        let context = parserError.context
        let what: String
        switch parserError.error {
        case MustacheTemplate.Error.sectionCloseNameIncorrect: what = "a section is closed with a name it was not "
            + "opened with"
        case MustacheTemplate.Error.unfinishedName: what = "a tag is not finished"
        case MustacheTemplate.Error.expectedSectionEnd: what = "a section is never closed"
        case MustacheTemplate.Error.invalidSetDelimiter: what = "an invalid set-delimiter tag"
        default: what = "\(parserError.error)"
        }
        return "line \(context.lineNumber), column \(context.columnNumber): \(what)"
    }
}

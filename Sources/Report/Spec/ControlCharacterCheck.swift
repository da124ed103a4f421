import Yams

/// Spec text goes into the HTML report, the PDF, progress lines and error messages. A control character in it
/// (an ESC sequence written as "\e[31m" in a double-quoted YAML string, a C1 control, DEL) would reach a terminal
/// or a document raw, so every key and scalar is checked before decoding; tab and newline are ordinary text.
enum ControlCharacterCheck {
    /// The first key or scalar (in document order) holding a control character other than tab or newline.
    static func firstProblem(in node: Node, file: String) -> SpecError? {
        problem(in: node, path: "", file: file)
    }

    private static func problem(in node: Node, path: String, file: String) -> SpecError? {
        switch node {
        case .scalar(let scalar):
            return check(scalar.string, at: node, path: path, file: file)
        case .mapping(let mapping):
            for (key, value) in mapping {
                let name = key.scalar?.string ?? "?"
                let childPath = path.isEmpty ? name : "\(path).\(name)"
                if let error = check(name, at: key, path: childPath, file: file, what: "key") { return error }
                if let error = problem(in: value, path: childPath, file: file) { return error }
            }
            return nil
        case .sequence(let sequence):
            for (index, element) in sequence.enumerated() {
                if let error = problem(in: element, path: "\(path)[\(index)]", file: file) { return error }
            }
            return nil
        case .alias:
            return nil
        }
    }

    private static func check(_ text: String, at node: Node, path: String, file: String, what: String = "text")
        -> SpecError? {
        guard let control = text.unicodeScalars.first(where: isForbidden) else { return nil }
        let code = "\\u{" + String(control.value, radix: 16, uppercase: true) + "}"
        return SpecError(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1,
                         path: visible(path),
                         message: "the \(what) contains the control character \(code); spec text may hold tabs and "
                                + "newlines but no other control characters")
    }

    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t" && scalar != "\n") || (0x7F...0x9F).contains(scalar.value)
    }

    /// The path as the user can read it: a control character inside a key is written as `\u{..}`.
    private static func visible(_ path: String) -> String {
        var result = ""
        for scalar in path.unicodeScalars {
            if isForbidden(scalar) || scalar == "\n" || scalar == "\t" {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

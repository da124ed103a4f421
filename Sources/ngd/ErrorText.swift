/// Text for the terminal: control characters (C0, DEL, C1 — which include ESC and the CSI of terminal escape
/// sequences) are written as visible `\u{1B}` escapes, so that a file name, spec text or data quoted in a message
/// cannot move the cursor, recolour or retitle the user's terminal.
enum ErrorText {
    /// `text` with every control character but tab replaced by `\u{XX}`; newlines are kept when `keepingNewlines`
    /// (a message that lists several spec problems, one per line).
    static func visible(_ text: String, keepingNewlines: Bool = false) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if isControl(scalar), scalar != "\t", !(keepingNewlines && scalar == "\n") {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}

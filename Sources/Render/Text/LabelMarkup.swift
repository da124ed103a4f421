import Foundation

/// A tiny TeX-like label syntax turned into escaped Pango markup, so user strings are always safe:
/// `x_{i}`, `x_i`, `λ_max` (a bare script takes a run of letters or digits) → subscript; `10^{-3}` → superscript (with a real minus sign); `\lambda \eta \| \infty` … →
/// λ η ‖ ∞; `$` is ignored (so `$\eta$` works); everything else is escaped (`&`, `<`, `>`).
public enum LabelMarkup {
    public static let symbols: [String: String] = [
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
        "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
        "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ",
        "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
        "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
        "infty": "∞", "|": "‖", "cdot": "·", "times": "×", "approx": "≈", "le": "≤", "leq": "≤", "ge": "≥",
        "geq": "≥", "pm": "±", "to": "→", "rightarrow": "→", "sqrt": "√", "top": "⊤", "circ": "∘", "ell": "ℓ",
        "partial": "∂", "nabla": "∇", "sum": "∑", "in": "∈", "propto": "∝", "sim": "∼", "ne": "≠", "neq": "≠",
        "min": "min", "max": "max", "log": "log", "exp": "exp",
        ",": "\u{2009}", ";": "\u{2005}", " ": " ", "{": "{", "}": "}", "_": "_", "^": "^", "$": "$", "\\": "\\",
        "%": "%", "&": "&", "#": "#",
    ]

    /// Converts a label to Pango markup.
    public static func markup(from label: String) -> String {
        var parser = Parser(chars: Array(label))
        return parser.parseSequence(inScript: false, untilBrace: false)
    }

    /// Prose with scripts, for report text: `λ_max`, `r_{k+1}`, `W_NGD` and `R^10` get their sub- or superscript,
    /// everything else (braces, backslashes, `$`, hyphens) stays literal and escaped. The result is valid Pango
    /// markup and valid HTML (`<sub>`, `<sup>` and entities only).
    ///
    /// A script needs a base right before `_`/`^` (not a space) and an argument right after: `{…}` (for `^` also
    /// `(…)`, as in `m^(−1/2)`), or a run of
    /// lowercase letters, of uppercase letters or of digits, or one math symbol (`H^∞`) — so `G_mG_mᵀ` reads
    /// G_m G_m ᵀ and `x_iᵀ` keeps its ᵀ outside the subscript. Anything else (`a _ b`, a trailing `_`) stays an underscore.
    public static func proseMarkup(from text: String) -> String {
        let chars = Array(text)
        var out = "", i = 0
        // Plain digits and letters only: ᵀ, ⁻¹ and ² (modifier letters, other numbers) end a run.
        func runClass(_ c: Character) -> Int? {
            guard c.unicodeScalars.count == 1, let scalar = c.unicodeScalars.first else { return nil }
            switch scalar.properties.generalCategory {
            case .decimalNumber: return 0
            case .lowercaseLetter: return 1
            case .uppercaseLetter: return 2
            default: return nil
            }
        }
        while i < chars.count {
            let c = chars[i]
            guard c == "_" || c == "^", i > 0, !chars[i - 1].isWhitespace, i + 1 < chars.count else {
                out += escape(String(c))
                i += 1
                continue
            }
            var argument: String?
            var next = i + 1
            if chars[next] == "{", let close = chars[(next + 1)...].firstIndex(of: "}"), close > next + 1 {
                argument = String(chars[(next + 1)..<close])
                next = close + 1
            } else if c == "^", chars[next] == "(", let close = chars[(next + 1)...].firstIndex(of: ")"), close > next + 1 {
                argument = String(chars[(next + 1)..<close])   // m^(−1/2): the parentheses only group
                next = close + 1
            } else if chars[next].unicodeScalars.count == 1,
                      chars[next].unicodeScalars.first?.properties.generalCategory == .mathSymbol {
                argument = String(chars[next])   // H^∞, A^+
                next += 1
            } else if let kind = runClass(chars[next]) {
                var end = next
                while end < chars.count, runClass(chars[end]) == kind { end += 1 }
                argument = String(chars[next..<end])
                next = end
            }
            guard let script = argument else {
                out += escape(String(c))
                i += 1
                continue
            }
            let tag = c == "_" ? "sub" : "sup"
            out += "<\(tag)>" + escape(script.replacingOccurrences(of: "-", with: "−")) + "</\(tag)>"
            i = next
        }
        return out
    }

    /// Escapes text for Pango markup without interpreting any TeX syntax.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// Removes markup tags and decodes entities: the plain text a reader sees (for CSV headers, alt text).
    public static func plainText(fromMarkup m: String) -> String {
        var out = "", inTag = false
        for c in m {
            if c == "<" { inTag = true; continue }
            if c == ">" { inTag = false; continue }
            if !inTag { out.append(c) }
        }
        return out.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    private struct Parser {
        let chars: [Character]
        var i = 0

        mutating func parseSequence(inScript: Bool, untilBrace: Bool) -> String {
            var out = ""
            while i < chars.count {
                let c = chars[i]
                if c == "}" && untilBrace { i += 1; return out }
                i += 1
                switch c {
                case "\\": out += command(inScript: inScript)
                case "_": out += "<sub>" + scriptArgument() + "</sub>"
                case "^": out += "<sup>" + scriptArgument() + "</sup>"
                case "{": out += parseSequence(inScript: inScript, untilBrace: true)
                case "$": continue
                case "-" where inScript || isArithmeticMinus(at: i - 1): out += "−"
                default: out += LabelMarkup.escape(String(c))
                }
            }
            return out
        }

        /// "a - b" and "-3" are arithmetic (typeset U+2212); "K-FAC" and "one-layer" keep the hyphen.
        func isArithmeticMinus(at k: Int) -> Bool {
            let prev: Character? = k > 0 ? chars[k - 1] : nil
            let next: Character? = k + 1 < chars.count ? chars[k + 1] : nil
            let prevIsBoundary = prev == nil || prev == " " || prev == "(" || prev == "[" || prev == "=" || prev == "{"
            if prev == " " && next == " " { return true }
            if prevIsBoundary, let n = next, n.isNumber || n == "." { return true }
            return false
        }

        mutating func scriptArgument() -> String {
            guard i < chars.count else { return "" }
            let c = chars[i]
            if c == "{" { i += 1; return parseSequence(inScript: true, untilBrace: true) }
            i += 1
            if c == "\\" { return command(inScript: true) }
            if c == "-" { return "−" }
            // Unlike TeX, a bare script takes a whole run of letters or of digits, so `λ_max` and `x_10` read as meant.
            var run = String(c)
            if c.isLetter || c.isNumber {
                while i < chars.count, chars[i].isLetter == c.isLetter, chars[i].isNumber == c.isNumber,
                      chars[i].isLetter || chars[i].isNumber {
                    run.append(chars[i]); i += 1
                }
            }
            return LabelMarkup.escape(run)
        }

        mutating func command(inScript: Bool) -> String {
            guard i < chars.count else { return "\\" }
            if !chars[i].isLetter {
                let c = String(chars[i]); i += 1
                if let s = LabelMarkup.symbols[c] { return LabelMarkup.escape(s) }
                return LabelMarkup.escape("\\" + c)
            }
            var name = ""
            while i < chars.count, chars[i].isLetter { name.append(chars[i]); i += 1 }
            if let s = LabelMarkup.symbols[name] {
                // Unlike TeX, the space after a control word is kept: labels are text ("\\eta = 0.5" → "η = 0.5").
                return LabelMarkup.escape(s)
            }
            return LabelMarkup.escape("\\" + name)
        }
    }
}

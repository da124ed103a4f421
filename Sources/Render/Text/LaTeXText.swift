import Foundation

/// Text for LaTeX documents: escaping of plain text, and the Pango markup the figures draw (`<sub>`, `<sup>`,
/// `<b>`, `<i>`, `<span …>`, entities, Unicode symbols) turned into LaTeX that pdflatex typesets with the
/// document's fonts. Words that are math (a script, a Greek letter, an operator such as − or ‖) become `$…$`;
/// everything else stays text, escaped so that no user string can run a TeX command.
public enum LaTeXText {
    /// Escapes plain text for LaTeX text mode (`\ { } $ & # % _ ~ ^ < > |`, control characters dropped).
    /// Symbols that pdflatex cannot set in text mode (Greek, −, ×, ‖, …) become inline math.
    public static func escape(_ text: String) -> String {
        var out = ""
        for c in text { out += textChar(c) }
        return out
    }

    /// Converts Pango markup (as `LabelMarkup.markup(from:)` and the tick formatter make it) to LaTeX.
    public static func fromMarkup(_ markup: String) -> String {
        let nodes = MarkupParser.parse(markup)
        return render(nodes)
    }

    /// Converts a label in the project's label syntax (`λ_max`, `10^{-3}`, `\eta`) to LaTeX.
    public static func fromLabel(_ label: String) -> String { fromMarkup(LabelMarkup.markup(from: label)) }

    // MARK: characters

    /// Unicode symbols and their math-mode macros.
    static let mathSymbols: [Character: String] = [
        "α": "\\alpha", "β": "\\beta", "γ": "\\gamma", "δ": "\\delta", "ε": "\\varepsilon", "ζ": "\\zeta",
        "η": "\\eta", "θ": "\\theta", "ι": "\\iota", "κ": "\\kappa", "λ": "\\lambda", "μ": "\\mu", "ν": "\\nu",
        "ξ": "\\xi", "π": "\\pi", "ρ": "\\rho", "σ": "\\sigma", "τ": "\\tau", "φ": "\\varphi", "χ": "\\chi",
        "ψ": "\\psi", "ω": "\\omega", "Γ": "\\Gamma", "Δ": "\\Delta", "Θ": "\\Theta", "Λ": "\\Lambda",
        "Ξ": "\\Xi", "Π": "\\Pi", "Σ": "\\Sigma", "Φ": "\\Phi", "Ψ": "\\Psi", "Ω": "\\Omega",
        "∞": "\\infty", "‖": "\\|", "·": "\\cdot", "×": "\\times", "≈": "\\approx", "≤": "\\le", "≥": "\\ge",
        "±": "\\pm", "→": "\\to", "√": "\\surd", "⊤": "\\top", "∘": "\\circ", "ℓ": "\\ell", "∂": "\\partial",
        "∇": "\\nabla", "∑": "\\sum", "∈": "\\in", "∝": "\\propto", "∼": "\\sim", "≠": "\\ne", "−": "-",
        "ᵀ": "^{\\top}", "√̅": "\\surd", "∣": "|", "⋅": "\\cdot", "≲": "\\stackrel{<}{\\sim}", "⟨": "\\langle", "⟩": "\\rangle",
        "∠": "\\angle", "≡": "\\equiv", "≪": "\\ll", "≫": "\\gg", "⊙": "\\odot", "∀": "\\forall",
        "∃": "\\exists", "∩": "\\cap", "∪": "\\cup", "⊂": "\\subset", "←": "\\leftarrow", "⇒": "\\Rightarrow",
        "↦": "\\mapsto", "′": "'", "∗": "*", "⊗": "\\otimes", "÷": "\\div",
    ]
    static let superscripts: [Character: String] = [
        "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9",
        "⁻": "-", "⁺": "+", "ⁿ": "n", "ⁱ": "i", "ᵏ": "k",
    ]
    static let subscripts: [Character: String] = [
        "₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6", "₇": "7", "₈": "8", "₉": "9",
        "₋": "-", "₊": "+", "ᵢ": "i", "ⱼ": "j", "ₖ": "k", "ₘ": "m", "ₙ": "n", "ₜ": "t",
    ]

    /// Whether a character needs math mode.
    static func isMath(_ c: Character) -> Bool {
        (mathSymbols[c] != nil && c != "∣") || superscripts[c] != nil || subscripts[c] != nil
    }

    /// One character in text mode.
    static func textChar(_ c: Character) -> String {
        switch c {
        case "\\": return "\\textbackslash{}"
        case "{": return "\\{"
        case "}": return "\\}"
        case "$": return "\\$"
        case "&": return "\\&"
        case "#": return "\\#"
        case "%": return "\\%"
        case "_": return "\\_"
        case "~": return "\\textasciitilde{}"
        case "^": return "\\textasciicircum{}"
        case "<": return "\\textless{}"
        case ">": return "\\textgreater{}"
        case "|", "∣": return "\\textbar{}"
        case "\"": return "\\textquotedbl{}"
        case "\u{2009}", "\u{2005}", "\u{202F}": return "\\,"
        case "\u{00A0}": return "~"
        case "\u{2013}": return "--"
        case "\u{2014}": return "---"
        case "\u{2018}": return "`"
        case "\u{2019}": return "'"
        case "\u{201C}": return "``"
        case "\u{201D}": return "''"
        case "…": return "\\dots{}"
        case "§": return "\\S{}"
        case "°": return "\\ensuremath{^\\circ}"
        default: break
        }
        if isMath(c) { return "\\ensuremath{" + mathChar(c) + "}" }
        guard let scalar = c.unicodeScalars.first else { return "" }
        if c.isWhitespace || c.isNewline { return " " }
        if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format { return "" }
        if scalar.isASCII { return String(c) }
        // Latin-1 letters are set up by LaTeX's UTF-8 input; anything else would stop pdflatex.
        if c.unicodeScalars.count == 1, (0xC0...0xFF).contains(scalar.value), scalar.value != 0xD7, scalar.value != 0xF7 {
            return String(c)
        }
        return "?"
    }

    /// One character in math mode.
    static func mathChar(_ c: Character) -> String {
        if let m = mathSymbols[c] { return m }
        if let s = superscripts[c] { return "^{\(s)}" }
        if let s = subscripts[c] { return "_{\(s)}" }
        switch c {
        case "\\": return "\\backslash{}"
        case "{": return "\\{"
        case "}": return "\\}"
        case "$", "&", "#", "%", "_": return "\\" + String(c)
        case "~": return "\\sim{}"
        case "^": return "\\hat{}"
        case "|": return "|"
        case "'": return "'"
        case "\"": return "\\mbox{\\textquotedbl{}}"
        default: break
        }
        if c.isWhitespace { return "\\ " }
        if c.isLetter || c.isNumber || c.isPunctuation || c.isMathSymbol || c.isSymbol {
            let text = textChar(c)
            return text == String(c) && c.isASCII ? text : "\\mbox{" + text + "}"
        }
        return "\\mbox{" + textChar(c) + "}"
    }

    // MARK: markup tree

    indirect enum Node: Equatable {
        case text(String)
        case sub([Node]), sup([Node]), bold([Node]), italic([Node]), group([Node])
    }

    /// Parses Pango markup into nodes; unknown tags keep their content, entities are decoded.
    enum MarkupParser {
        static func parse(_ markup: String) -> [Node] {
            var chars = Array(markup)[...]
            return parseNodes(&chars, closing: nil)
        }

        static func parseNodes(_ chars: inout ArraySlice<Character>, closing: String?) -> [Node] {
            var nodes: [Node] = [], text = ""
            func flush() { if !text.isEmpty { nodes.append(.text(text)); text = "" } }
            while let c = chars.first {
                if c == "<", let end = chars.firstIndex(of: ">") {
                    let tag = String(chars[(chars.startIndex + 1)..<end])
                    chars = chars[(end + 1)...]
                    if tag.hasPrefix("/") {
                        flush()
                        return nodes
                    }
                    let name = String(tag.prefix { $0.isLetter })
                    if tag.hasSuffix("/") { continue }
                    flush()
                    let inner = parseNodes(&chars, closing: name)
                    switch name {
                    case "sub": nodes.append(.sub(inner))
                    case "sup": nodes.append(.sup(inner))
                    case "b": nodes.append(.bold(inner))
                    case "i": nodes.append(.italic(inner))
                    default: nodes.append(.group(inner))
                    }
                    continue
                }
                if c == "&", let semi = chars.prefix(10).firstIndex(of: ";") {
                    let entity = String(chars[(chars.startIndex + 1)..<semi])
                    if let decoded = decode(entity) {
                        text.append(decoded)
                        chars = chars[(semi + 1)...]
                        continue
                    }
                }
                text.append(c)
                chars = chars.dropFirst()
            }
            flush()
            _ = closing
            return nodes
        }

        static func decode(_ entity: String) -> Character? {
            switch entity {
            case "amp": return "&"
            case "lt": return "<"
            case "gt": return ">"
            case "quot": return "\""
            case "apos", "#39": return "'"
            default:
                if entity.hasPrefix("#x"), let v = UInt32(entity.dropFirst(2), radix: 16), let s = Unicode.Scalar(v) { return Character(s) }
                if entity.hasPrefix("#"), let v = UInt32(entity.dropFirst()), let s = Unicode.Scalar(v) { return Character(s) }
                return nil
            }
        }
    }

    // MARK: rendering

    /// Splits the node list into words at spaces (outside scripts); a word with a script or a math character is
    /// set as math, the others as text.
    static func render(_ nodes: [Node]) -> String {
        var words: [[Node]] = [[]]
        var separators: [String] = []
        for node in nodes {
            guard case .text(let s) = node else { words[words.count - 1].append(node); continue }
            var current = ""
            for c in s {
                if c == " " || c == "\u{2009}" || c == "\u{2005}" || c == "\u{00A0}" || c == "\n" || c == "\t" {
                    if !current.isEmpty { words[words.count - 1].append(.text(current)); current = "" }
                    separators.append(c == " " || c == "\n" || c == "\t" ? " " : textChar(c))
                    words.append([])
                } else {
                    current.append(c)
                }
            }
            if !current.isEmpty { words[words.count - 1].append(.text(current)) }
        }
        // Neighbouring math words separated by a plain space are one formula (‖u(k) − y‖).
        var out = "", openMath = false
        for (k, word) in words.enumerated() {
            let isMath = needsMath(word)
            if isMath {
                out += (openMath ? "" : "$") + mathWord(word)
                openMath = true
            } else {
                if openMath { out += "$"; openMath = false }
                out += textWord(word)
            }
            guard k < separators.count else { continue }
            let nextIsMath = k + 1 < words.count && needsMath(words[k + 1])
            if openMath && !(separators[k] == " " && nextIsMath) { out += "$"; openMath = false }
            out += separators[k]
        }
        if openMath { out += "$" }
        return out
    }

    static func needsMath(_ nodes: [Node]) -> Bool {
        nodes.contains { node in
            switch node {
            case .text(let s): return s.contains(where: isMath)
            case .sub, .sup: return true
            case .bold(let n), .italic(let n), .group(let n): return needsMath(n)
            }
        }
    }

    static func textWord(_ nodes: [Node]) -> String {
        nodes.map { node -> String in
            switch node {
            case .text(let s): return escape(s)
            case .bold(let n): return "\\textbf{" + textWord(n) + "}"
            case .italic(let n): return "\\textit{" + textWord(n) + "}"
            case .group(let n): return textWord(n)
            case .sub(let n): return "\\ensuremath{_{" + mathWord(n) + "}}"
            case .sup(let n): return "\\ensuremath{^{" + mathWord(n) + "}}"
            }
        }.joined()
    }

    /// Math: single letters italic (x, m), runs of letters upright (max, NGD), digits and operators as they are.
    static func mathWord(_ nodes: [Node]) -> String {
        var out = ""
        for node in nodes {
            var piece: String
            switch node {
            case .text(let s): piece = mathText(s)
            case .bold(let n): piece = "\\mathbf{" + mathWord(n) + "}"
            case .italic(let n), .group(let n): piece = mathWord(n)
            case .sub(let n): piece = "_{" + mathWord(n) + "}"
            case .sup(let n): piece = "^{" + mathWord(n) + "}"
            }
            // a script right after a script gets an empty base, so TeX never sees a double script
            if (piece.hasPrefix("^") || piece.hasPrefix("_")) && out.hasSuffix("}") && endsWithScript(out) { piece = "{}" + piece }
            out += piece
        }
        return out
    }

    /// Whether `tex` ends with a `^{…}` or `_{…}` group.
    static func endsWithScript(_ tex: String) -> Bool {
        var depth = 0
        for (i, c) in tex.enumerated().reversed() {
            if c == "}" { depth += 1 } else if c == "{" {
                depth -= 1
                if depth == 0 {
                    let k = tex.index(tex.startIndex, offsetBy: i)
                    return k > tex.startIndex && ["^", "_"].contains(tex[tex.index(before: k)])
                }
            }
        }
        return false
    }

    static func mathText(_ s: String) -> String {
        var out = "", run = "", sup = "", sub = ""
        // a control word (\surd, \lambda) must not run into the letters after it
        var afterControlWord = false
        func flushRun() {
            guard !run.isEmpty else { return }
            if afterControlWord { out += " " }
            afterControlWord = false
            out += run.count == 1 ? run : "\\mathrm{" + run + "}"
            run = ""
        }
        // Runs of Unicode scripts (ᵀ, ⁻¹, ₁₂) are one script each: J^{\top -1}, never a double superscript.
        func flushScripts() {
            if !sup.isEmpty { out += "^{" + sup + "}"; sup = ""; afterControlWord = false }
            if !sub.isEmpty { out += "_{" + sub + "}"; sub = ""; afterControlWord = false }
        }
        for c in s {
            if c == "ᵀ" { flushRun(); sup += "\\top"; continue }
            if let s = superscripts[c] { flushRun(); sup += (sup.hasSuffix("\\top") ? " " : "") + s; continue }
            if let s = subscripts[c] { flushRun(); sub += s; continue }
            flushScripts()
            if c.isASCII && c.isLetter { run.append(c); continue }
            flushRun()
            let symbol = mathChar(c)
            out += symbol
            afterControlWord = symbol.hasPrefix("\\") && symbol.last?.isLetter == true
        }
        flushRun()
        flushScripts()
        return out
    }
}

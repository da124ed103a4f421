import Foundation
import Testing
@testable import Render

@Suite struct PGFOutputTests {
    @Test func latexSpecialCharactersAreEscapedInText() {
        #expect(LaTeXText.escape(##"\input{/etc/passwd} 100% a_b $x$ & #1 ~ ^"##)
            == ##"\textbackslash{}input\{/etc/passwd\} 100\% a\_b \$x\$ \& \#1 \textasciitilde{} \textasciicircum{}"##)
        #expect(LaTeXText.escape("a\u{0007}b\u{0000}c") == "abc")
        #expect(LaTeXText.escape("漢") == "?")
    }

    @Test func labelMarkupBecomesMathWhereItIsMath() {
        #expect(LaTeXText.fromLabel("λ_max") == #"$\lambda_{\mathrm{max}}$"#)
        #expect(LaTeXText.fromLabel("‖u(k) − y‖") == #"$\|u(k) - y\|$"#)
        #expect(LaTeXText.fromLabel("step size η") == #"step size $\eta$"#)
        #expect(LaTeXText.fromMarkup("10<sup>−3</sup>") == "$10^{-3}$")
        #expect(LaTeXText.fromLabel("H^∞") == #"$H^{\infty}$"#)
        #expect(LaTeXText.fromMarkup("(JJᵀ)⁻¹") == #"$(\mathrm{JJ}^{\top})^{-1}$"#)
        #expect(LaTeXText.fromMarkup("Jᵀ⁻¹ 1/√N ∠x") == #"$J^{\top -1} 1/\surd N \angle x$"#)
        #expect(LaTeXText.fromMarkup("log₁₀ v<sub>i</sub><sub>k</sub>") == #"$\mathrm{log}_{10} v_{i}{}_{k}$"#)
    }

    @Test func hostileLabelCannotRunATeXCommand() throws {
        for label in [#"\input{/etc/passwd}"#, "a}b", "50% $", #"\\def\x{}"#, "^^5cinput"] {
            let tex = LaTeXText.fromLabel(label)
            // every backslash that survives starts one of the converter's own commands
            let own: Set<String> = ["textbackslash", "textasciicircum", "textasciitilde", "mathrm", "ensuremath", "hat",
                                    "backslash", "mbox", "sim"]
            let commands = Self.commandNames(in: tex)
            #expect(commands.allSatisfy { own.contains($0) }, "\(label) → \(tex)")
            #expect(!tex.contains("^^"), "\(label) → \(tex)")
            var depth = 0
            for c in tex.replacingOccurrences(of: "\\{", with: "").replacingOccurrences(of: "\\}", with: "") {
                if c == "{" { depth += 1 } else if c == "}" { depth -= 1; #expect(depth >= 0, "\(label) → \(tex)") }
            }
            #expect(depth == 0, "\(label) → \(tex)")
        }
    }

    /// Names of the control words (`\\name`) in a TeX string; control symbols (`\\{`, `\\%`) are skipped.
    static func commandNames(in tex: String) -> [String] {
        let chars = Array(tex)
        var names: [String] = [], i = 0
        while i < chars.count {
            defer { i += 1 }
            guard chars[i] == "\\", i + 1 < chars.count else { continue }
            if !chars[i + 1].isLetter { i += 1; continue }
            var name = ""
            while i + 1 < chars.count, chars[i + 1].isLetter { name.append(chars[i + 1]); i += 1 }
            names.append(name)
        }
        return names
    }

    @Test func pgfFigureIsSizedByItsPresetAndByteIdentical() throws {
        let figure = DemoFigures.convergence(size: .neurips(aspect: 0.5))
        let a = try figure.pgf(imageStem: "conv"), b = try figure.pgf(imageStem: "conv")
        #expect(a == b)
        let width = PGFRenderer.number(figure.size.width * 72.27)
        #expect(a.text.contains("\\pgfusepath{use as bounding box}"))
        #expect(a.text.contains("\\pgfqpoint{\(width)pt}"))
        #expect(a.text.contains("\\providecommand{\\ngdfontsize}[2]"))
        #expect(a.text.contains("\\pgftext["))
        #expect(a.images.isEmpty)
        // outside the picture every line ends in % so no space widens the box
        for line in a.text.split(separator: "\n") where !line.hasPrefix("%%") { #expect(line.hasSuffix("%")) }
    }

    @Test func heatmapRasterIsAPNGBesideThePGF() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try DemoFigures.gram().write(to: dir.appendingPathComponent("gram.pgf"))
        let pgf = try String(contentsOf: dir.appendingPathComponent("gram.pgf"), encoding: .utf8)
        #expect(pgf.contains("\\pgfimage[interpolate=false"))
        #expect(pgf.contains("{\\ngdfiguredir gram-raster1.png}"))
        let png = try Data(contentsOf: dir.appendingPathComponent("gram-raster1.png"))
        #expect(PNGMetadata.info(png) != nil)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("gram.csv").path))
    }

    @Test func numbersAreShortAndNeverNegativeZero() {
        #expect(PGFRenderer.number(-0.0001) == "0")
        #expect(PGFRenderer.number(12.5) == "12.5")
        #expect(PGFRenderer.number(3) == "3")
        #expect(PGFRenderer.number(.nan) == "0")
    }
}

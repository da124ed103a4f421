import Foundation
import Testing
@testable import Render

@Suite struct LabelMarkupTests {
    @Test func subscriptsAndSuperscriptsBecomeSpans() {
        #expect(LabelMarkup.markup(from: "x_{i}") == "x<sub>i</sub>")
        #expect(LabelMarkup.markup(from: "x_i") == "x<sub>i</sub>")
        #expect(LabelMarkup.markup(from: "10^{-3}") == "10<sup>−3</sup>")
        #expect(LabelMarkup.markup(from: "\\lambda_{min}") == "λ<sub>min</sub>")
    }
    @Test("a bare script takes a run of letters or of digits, then stops")
    func bareScriptsTakeWholeWords() {
        #expect(LabelMarkup.markup(from: "1/λ_max") == "1/λ<sub>max</sub>")
        #expect(LabelMarkup.markup(from: "λ_min(G_0)") == "λ<sub>min</sub>(G<sub>0</sub>)")
        #expect(LabelMarkup.markup(from: "x_10 + y_i2") == "x<sub>10</sub> + y<sub>i</sub>2")
        #expect(LabelMarkup.markup(from: "w_r(0)") == "w<sub>r</sub>(0)")
    }
    @Test func greekAndSymbolsAreUnicode() {
        // spaces are kept (labels are text, not TeX math)
        #expect(LabelMarkup.markup(from: "\\lambda \\eta \\rho \\nu \\kappa \\infty \\|") == "λ η ρ ν κ ∞ ‖")
        #expect(LabelMarkup.markup(from: "\\eta = 0.5") == "η = 0.5")
        #expect(LabelMarkup.markup(from: "\\|u - y\\|") == "‖u − y‖")
        #expect(LabelMarkup.markup(from: "K-FAC, -3, (1 - x)") == "K-FAC, −3, (1 − x)")
        #expect(LabelMarkup.markup(from: "$\\kappa$") == "κ")
        #expect(LabelMarkup.markup(from: "λ direct") == "λ direct")
    }
    @Test func markupCharactersAreEscaped() {
        #expect(LabelMarkup.markup(from: "a < b & c > d") == "a &lt; b &amp; c &gt; d")
        #expect(LabelMarkup.markup(from: "<b>bold</b>") == "&lt;b&gt;bold&lt;/b&gt;")
        #expect(LabelMarkup.markup(from: "\\unknown") == "\\unknown")
    }
    @Test("prose keeps braces, hyphens and lone underscores, and scripts only what has a base and an argument")
    func proseSetsItsMathAndLeavesTheRest() {
        #expect(LabelMarkup.proseMarkup(from: "1/λ_max(G₀) and r_{k+1}") == "1/λ<sub>max</sub>(G₀) and r<sub>k+1</sub>")
        #expect(LabelMarkup.proseMarkup(from: "G_mG_mᵀ, x_iᵀx_j, W_NGD") == "G<sub>m</sub>G<sub>m</sub>ᵀ, x<sub>i</sub>ᵀx<sub>j</sub>, W<sub>NGD</sub>")
        #expect(LabelMarkup.proseMarkup(from: "points in R^10, 10^{-3}") == "points in R<sup>10</sup>, 10<sup>−3</sup>")
        #expect(LabelMarkup.proseMarkup(from: "λ_min(H^∞) ∝ m^(−1/2)") == "λ<sub>min</sub>(H<sup>∞</sup>) ∝ m<sup>−1/2</sup>")
        #expect(LabelMarkup.proseMarkup(from: "ε ∈ {0.8, 0.4}, K-FAC, a _ b, end_") == "ε ∈ {0.8, 0.4}, K-FAC, a _ b, end_")
        #expect(LabelMarkup.proseMarkup(from: "\\lambda $x$ <b> & 'q'") == "\\lambda $x$ &lt;b&gt; &amp; &#39;q&#39;")
    }
    @Test func plainTextRoundTripsEscapes() {
        #expect(LabelMarkup.plainText(fromMarkup: LabelMarkup.markup(from: "a<b & x_1")) == "a<b & x1")
    }
}

@Test func defaultFontsResolveToInstalledFiles() {
    let files = FontCatalog.files(forFamilies: Theme.defaultFontFamily)
    #expect(!files.isEmpty)
    #expect(files.allSatisfy { FileManager.default.fileExists(atPath: $0) })
}

@Test func themeRoundTripsThroughJSON() throws {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    let data = try enc.encode(Theme.slides)
    #expect(try JSONDecoder().decode(Theme.self, from: data) == Theme.slides)
}

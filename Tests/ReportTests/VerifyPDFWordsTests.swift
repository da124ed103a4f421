import Testing
@testable import Report

/// The word-set check `ngd verify` falls back to for drawings: what a changed provenance may change in a PDF's text
/// and what it may not.
@Suite struct VerifyPDFWordsTests {
    static let provenance: Set<[UInt8]> = [Array("Cooperlake".utf8), Array("Haswell".utf8)]

    @Test func glyphCodesRenumberedWhereTheShownProvenanceChangedAreNotATextChange() {
        let recorded = Array("BT /f-0-0 1 Tf (Cooperlake)Tj [<01>-20<0203>]TJ ET".utf8)
        let rerun = Array("BT /f-0-0 1 Tf (Haswell)Tj [<01>-20<0048>]TJ ET".utf8)
        #expect(NumberedText.wordOnOneSide(recorded, rerun, ignoring: Self.provenance, readableOnly: true) == nil)
    }

    @Test func glyphCodesStillCountWhereNoProvenanceIsShown() {
        let recorded = Array("BT /f-0-0 1 Tf [<01>-20<0203>]TJ ET".utf8)
        let rerun = Array("BT /f-0-0 1 Tf [<01>-20<0048>]TJ ET".utf8)
        let found = NumberedText.wordOnOneSide(recorded, rerun, ignoring: Self.provenance, readableOnly: true)
        #expect(found?.contains("<0203>") == true)
    }

    @Test func aChangedFontNameDiffersEvenWhereTheProvenanceChanged() {
        let recorded = Array("/BaseFont /CMUSerif-Roman (Cooperlake)Tj <0203>Tj".utf8)
        let rerun = Array("/BaseFont /DejaVuSans (Haswell)Tj <0048>Tj".utf8)
        let found = NumberedText.wordOnOneSide(recorded, rerun, ignoring: Self.provenance, readableOnly: true)
        #expect(found?.contains("CMUSerif") == true)
    }

    @Test func glyphStringsAreRecognisedWithTheirOperatorsOnly() {
        #expect(NumberedText.isGlyphString(Array("<0048>".utf8)))
        #expect(NumberedText.isGlyphString(Array("[<01>".utf8)))
        #expect(NumberedText.isGlyphString(Array("<0203>]TJ".utf8)))
        #expect(!NumberedText.isGlyphString(Array("<b>Table".utf8)))
        #expect(!NumberedText.isGlyphString(Array("(caption)Tj".utf8)))
    }
}

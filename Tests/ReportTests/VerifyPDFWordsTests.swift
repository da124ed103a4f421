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

    /// A tree's "(dirty)" mark kerns the commit line ("ty"), so the recorded line is a TJ array and the re-run's a
    /// plain string: the same words once kerned pieces are joined.
    @Test func aLineKernedOnOneSideOnlyShowsTheSameWordsOnceJoined() {
        let recorded = PDFContent.joiningKernedText(#"BT [(ngd 0.2.0, commit db30a98a5137 \(dirt)28(y\))]TJ ET"#)
        let rerun = PDFContent.joiningKernedText("BT (ngd 0.2.0, commit b06d342377a9)Tj ET")
        #expect(recorded == #"BT (ngd 0.2.0, commit db30a98a5137 \(dirty\))Tj ET"#)
        let changed: Set<[UInt8]> = Set(["db30a98a5137", "b06d342377a9", "dirty"].map { Array($0.utf8) })
        #expect(NumberedText.wordOnOneSide(Array(recorded.utf8), Array(rerun.utf8), ignoring: changed,
                                           readableOnly: true) == nil)
        #expect(PDFContent.joiningKernedText("[<01>-20<0203>\n]TJ") == "<010203>Tj")
        // A table's column gap stays a break between words.
        #expect(PDFContent.joiningKernedText("[(git commit)-1197(db30a98a5137)]TJ") == "(git commit) (db30a98a5137)Tj")
    }

    /// The BLAS line of a core ngd chose is too long for its table cell: cairo wraps it over two shown strings and
    /// draws "ff" as a ligature from another font, named only by its ActualText (as in a real report's page).
    @Test func aProvenanceValueWrappedOverLinesIsMaskedAsAWhole() {
        let value = "OpenBLAS, core SkylakeX (chosen by ngd: AVX-512 F/BW/VL/DQ; NGD_BLAS_CORE=keep turns this off), "
            + "2 threads"
        let page = PDFContent.joiningKernedText(#"""
            BT
            /f-1-0 1 Tf
            [(BLAS)-3134(Op)-28(enBLAS, core Skylak)28(eX \(c)28(hosen b)28(y ngd: A)110(VX-512 F/)]TJ
            5.772135 -1.185004 Td
            [(BW/VL/DQ; NGD_BLAS_CORE=k)28(eep turns this o)]TJ
            /Span << /ActualText <feff00660066> >> BDC
            /f-1-1 1 Tf
            <0013>Tj
            EMC
            /f-1-0 1 Tf
            [()-78(\), 2 threads)]TJ
            -5.772135 -1.718207 Td
            (cairo / pango)Tj
            ET
            """#)
        let masked = PDFShownText.masking(page, values: [value])
        #expect(masked.contains("(BLAS) (changed-value)Tj\n-5.772135 -1.718207 Td\n(cairo / pango)Tj"), "\(masked)")
        #expect(!masked.contains("BW/VL/DQ") && !masked.contains("<0013>"))
        // the one-line value of the re-run masks to the same text
        let rerun = PDFShownText.masking("BT\n/f-1-0 1 Tf\n(BLAS) (OpenBLAS, core Haswell)Tj\n-5.772135 -1.718207 Td\n"
                                         + "(cairo / pango)Tj\nET", values: ["OpenBLAS, core Haswell"])
        #expect(rerun.contains("(BLAS) (changed-value)Tj\n-5.772135 -1.718207 Td\n(cairo / pango)Tj"), "\(rerun)")
        // text that is not a whole changed value stays, so a change there is still seen
        #expect(PDFShownText.masking(page, values: ["OpenBLAS, core SkylakeX"]) == page)
        #expect(PDFShownText.masking(page, values: [value + " more"]) == page)
    }

    @Test func aChangedWordInsideAKernedLineStillDiffers() {
        let recorded = PDFContent.joiningKernedText("BT [(Residual p)-28(er step)]TJ ET")
        let rerun = PDFContent.joiningKernedText("BT [(Residual p)-28(er stop)]TJ ET")
        let found = NumberedText.wordOnOneSide(Array(recorded.utf8), Array(rerun.utf8), ignoring: Self.provenance,
                                               readableOnly: true)
        #expect(found?.contains("step") == true && found?.contains("stop") == true)
    }

    @Test func glyphStringsAreRecognisedWithTheirOperatorsOnly() {
        #expect(NumberedText.isGlyphString(Array("<0048>".utf8)))
        #expect(NumberedText.isGlyphString(Array("[<01>".utf8)))
        #expect(NumberedText.isGlyphString(Array("<0203>]TJ".utf8)))
        #expect(!NumberedText.isGlyphString(Array("<b>Table".utf8)))
        #expect(!NumberedText.isGlyphString(Array("(caption)Tj".utf8)))
    }
}

import Foundation
import Testing
@testable import Render

enum DemoDocument {
    static func make() -> PDFDocument {
        var doc = PDFDocument(title: "Fast convergence of NGD — reproduction", author: "ngd", subject: "report")
        doc.addTitleBlock(subtitle: "Zhang, Martens &amp; Grosse (NeurIPS 2019)", lines: ["seed 7 · 2026-11-29"])
        doc.addHeading("Summary")
        doc.addParagraph(markup: "Natural gradient descent with step size <i>η</i> = 1 reaches the targets in one step in the linearised model; the residual ‖u − y‖ falls as (1 − η)<sup>k</sup>. " + String(repeating: "Filler text that wraps across lines to test the paragraph flow. ", count: 12))
        doc.addHeading("Convergence", level: 2)
        doc.addFigure(DemoFigures.convergence(), caption: "Training loss of GD and NGD; dashed: theory. Shaded: min–max over 5 seeds.")
        doc.addHeading("Claims")
        var rows: [[String]] = []
        for i in 1...45 {
            let claim: String = "claim \(i) " + (i % 7 == 0 ? "with a longer description that must wrap inside its cell" : "")
            let status: String = i % 5 == 0 ? "<span foreground=\"#b00\">fail</span>" : "pass"
            rows.append(["§8.\(i)", claim, status, String(format: "%.3g", 1.0 / Double(i))])
        }
        doc.addTable(PDFDocument.Table(header: ["id", "claim", "status", "value"], rows: rows, alignments: [.left, .left, .center, .right], caption: "Measured claims."))
        doc.addHeading("Gram matrix", level: 2)
        doc.addFigure(DemoFigures.gram(), width: 200, caption: "G<sup>∞</sup> for 16 inputs.")
        doc.addParagraph(text: "Escaped <b> & stays literal.")
        return doc
    }
}

@Suite(.serialized) struct DocumentTests {
    @Test func documentIsDeterministicAndHasOutline() throws {
        let a = try DemoDocument.make().pdfData(), b = try DemoDocument.make().pdfData()
        #expect(a == b)
        let s = String(decoding: a, as: UTF8.self)
        #expect(s.contains("/Outlines"))
        #expect(s.contains("/Count"))
    }

    @Test func documentPassesQpdfAndPaginates() throws {
        guard let qpdf = tool("qpdf"), let pdfinfo = tool("pdfinfo") else { return }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("doc.pdf")
        try DemoDocument.make().write(to: url)
        #expect(try run(qpdf, ["--check", url.path]).status == 0)
        let info = try run(pdfinfo, [url.path]).output
        let pages = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.map { Int($0.split(separator: " ").last!)! } ?? 0
        #expect(pages >= 3, "\(info)")
        #expect(info.contains("Title:") && info.contains("reproduction"))
        if let pdffonts = tool("pdffonts") { #expect(!(try run(pdffonts, [url.path]).output.contains("Type 3"))) }
    }

    @Test func numbersInAWideTableStayWhole() throws {
        let pdftotext = try #require(tool("pdftotext"), "poppler-utils is installed by `make deps`")
        var doc = PDFDocument(title: "t", author: "a", subject: "s")
        let values = (0..<12).map { String(format: "%.5f", 0.01 + Double($0) / 997) }
        doc.addTable(PDFDocument.Table(header: (0..<12).map { "predicted λ<sub>min</sub>(G\($0))" },
                                       rows: [values, values.reversed()],
                                       alignments: Array(repeating: .right, count: 12)))
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("wide.pdf")
        try doc.write(to: url)
        let text = try run(pdftotext, [url.path, "-"]).output
        for value in values { #expect(text.contains(value), "\(value) broken in:\n\(text)") }
    }

    @Test func headingsBecomeNestedBookmarks() throws {
        guard let qpdf = tool("qpdf") else { return }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("doc.pdf")
        try DemoDocument.make().write(to: url)
        let json = try run(qpdf, ["--json", "--json-key=outlines", url.path]).output
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let outlines = try #require(root["outlines"] as? [[String: Any]])
        #expect(outlines.compactMap { $0["title"] as? String } == ["Summary", "Claims"])
        let kids = outlines.map { ($0["kids"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String } }
        #expect(kids == [["Convergence"], ["Gram matrix"]])
    }

    @Test func demoDocumentIsWrittenAsOnePDFFile() throws {
        let output = try DemoOutput()
        defer { output.cleanUp() }
        let url = output.url("document.pdf")
        try DemoDocument.make().write(to: url)
        #expect(try Data(contentsOf: url) == DemoDocument.make().pdfData())
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: output.directory.path)
            .filter { $0.hasPrefix("document") && $0 != "document.pdf" }
        #expect(leftovers.isEmpty)
    }
}

import Foundation
import Testing
@testable import Report

@Suite struct HTMLReportTests {
    private func buildHTML(_ yaml: String = sampleSpec) throws -> (html: String, directory: TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        try ReportBuilder(configuration: configuration()).build(specSource: yaml, specFile: "sample.yaml", into: output)
        let html = try String(contentsOfFile: (output as NSString).appendingPathComponent("report.html"), encoding: .utf8)
        return (html, directory)
    }

    @Test func hostileStringsFromTheSpecAreEscaped() throws {
        let hostile = sampleSpec
            .replacingOccurrences(of: "title: NGD versus GD on the unit sphere", with: "title: \"<script>alert(1)</script>\"")
            .replacingOccurrences(of: "label: NGD, η = 0.5", with: "label: \"<img src=x onerror=alert(2)>\"")
            .replacingOccurrences(of: "caption: Eigenvalues of G(0).", with: "caption: \"\\\"><iframe src=javascript:alert(3)>\"")
            .replacingOccurrences(of: "statement: The ratio deviation shrinks with width.",
                                  with: "statement: \"</td><b onmouseover=alert(4)>x</b>\"")
        let (html, _) = try buildHTML(hostile)
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<img src=x"))
        #expect(html.contains("&lt;img src=x onerror=alert(2)&gt;"))
        #expect(!html.contains("<iframe"))
        #expect(!html.contains("<b onmouseover"))
    }

    @Test func aDocumentThatWritesMathGetsScriptsAndStaysEscaped() throws {
        let provenance = Provenance.collect(seeds: [0], compute: nil, graphics: nil, sourceDirectory: nil, environment: [:])
        let table = ReportDocument.Table(caption: "steps at λ_min", header: ["s_max/s_min"], rows: [["r_{k+1}"]],
                                         columns: [.text])
        var document = ReportDocument(
            title: "t", description: nil,
            sections: [.init(id: "s", title: "S", blocks: [.paragraph("1/λ_max(G₀) <script>x</script>"), .table(table)])],
            provenance: provenance, claims: [], scriptsInProse: true)
        let html = try HTMLReportWriter().html(for: document, svgs: [:])
        #expect(html.contains("1/λ<sub>max</sub>(G₀) &lt;script&gt;x&lt;/script&gt;"))
        #expect(html.contains("λ<sub>min</sub>") && html.contains("s<sub>max</sub>/s<sub>min</sub>")
                && html.contains("r<sub>k+1</sub>"))
        #expect(!html.contains("<script"))
        // A spec report's text keeps its underscores (it may name snake_case quantities).
        document.scriptsInProse = false
        let plain = try HTMLReportWriter().html(for: document, svgs: [:])
        #expect(plain.contains("1/λ_max(G₀) &lt;script&gt;") && !plain.contains("<sub>"))
    }

    @Test func theReportLoadsNothingFromOutside() throws {
        let (html, _) = try buildHTML()
        // No scheme-qualified loads: src=/href= never point at http(s) or //host; url() only names ids in the
        // page (Cairo's SVG uses url(#clip1)); no @import, scripts or stylesheet links.
        let patterns = [#"(src|href)\s*=\s*["']?(https?:)?//"#, #"url\(\s*['"]?(?!#)"#, #"@import"#, #"<script"#, #"<link"#]
        // The patterns do catch what they are meant to catch, and let internal references through.
        #expect("<img src=\"https://x.org/a.png\">".range(of: patterns[0], options: .regularExpression) != nil)
        #expect("background: url('//x.org/a.png')".range(of: patterns[1], options: .regularExpression) != nil)
        #expect("clip-path=\"url(#f1-clip1)\"".range(of: patterns[1], options: .regularExpression) == nil)
        for pattern in patterns {
            #expect(html.range(of: pattern, options: .regularExpression) == nil, "found \(pattern)")
        }
        #expect(html.contains("Content-Security-Policy"))
    }

    @Test func figuresAreInlineNumberedAndLinkTheirData() throws {
        let (html, _) = try buildHTML()
        #expect(html.contains("<span class=\"fignum\">Figure 1:</span>"))
        #expect(html.contains("<span class=\"fignum\">Figure 3:</span>"))
        #expect(html.contains("href=\"figures/ratio-vs-width.csv\""))
        #expect(!html.contains("<?xml"))
        #expect(html.contains("id=\"f1-root\"") && html.contains("id=\"f2-root\""))
        #expect(html.contains("<details>"))
    }

    @Test func blankLinesInTheDescriptionSeparateParagraphs() throws {
        let yaml = sampleSpec.replacingOccurrences(
            of: "description: Residual contraction of NGD and GD on n = 8 points in d = 4, and its dependence on width.",
            with: "description: |\n  First paragraph,\n  still first.\n\n  Second & last.")
        let (html, _) = try buildHTML(yaml)
        #expect(html.contains("<p class=\"lede\">First paragraph,\nstill first.</p>"))
        #expect(html.contains("<p class=\"lede\">Second &amp; last.</p>"))
    }

    @Test func failedClaimsAreMarkedInWordsNotOnlyColour() throws {
        let (html, _) = try buildHTML()
        #expect(html.contains("FAIL"))
        #expect(html.contains("PASS"))
        #expect(html.contains("1 of 3 claims failed"))
    }

    @Test func builtInTemplatesMatchTheTemplatesFolder() throws {
        // templates/embed.sh generates DefaultTemplates.swift; this pins that nobody edited one side only.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("templates")
        for name in ReportTemplates.names {
            let onDisk = try String(contentsOf: root.appendingPathComponent("\(name).mustache"), encoding: .utf8)
            let embedded = try #require(DefaultTemplates.all[name])
            #expect(embedded == String(onDisk.dropLast(onDisk.hasSuffix("\n") ? 1 : 0)), "run templates/embed.sh")
        }
    }

    @Test func aTemplatesDirectoryOverridesTheBuiltInOnes() throws {
        let directory = try TemporaryDirectory()
        try "<title>{{title}}</title>".write(toFile: directory.appending("report.mustache"), atomically: true, encoding: .utf8)
        let templates = try ReportTemplates.load(directory: directory.path)
        #expect(templates.texts["report"] == "<title>{{title}}</title>")
        #expect(templates.texts["style"] == DefaultTemplates.all["style"])
    }

    @Test func writesASampleReportForLookingAt() throws {
        // Set NGD_REPORT_SAMPLE_DIR to keep a rendered sample (with fake figures) for a visual check.
        guard let target = ProcessInfo.processInfo.environment["NGD_REPORT_SAMPLE_DIR"] else { return }
        try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: target)
        #expect(FileManager.default.fileExists(atPath: (target as NSString).appendingPathComponent("report.html")))
    }
}

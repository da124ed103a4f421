import Foundation
import Mustache
import Render

/// The Mustache templates of the HTML report: `report` (the page) and `style` (its CSS, a partial).
/// Defaults are compiled in (generated from templates/ by templates/embed.sh); `--templates DIR` reads
/// `DIR/report.mustache` and `DIR/style.mustache` instead (a missing file falls back to the default).
public struct ReportTemplates: Sendable {
    public var texts: [String: String]

    public static let names = ["report", "style"]

    public static var builtIn: ReportTemplates { ReportTemplates(texts: DefaultTemplates.all) }

    public init(texts: [String: String]) { self.texts = texts }

    /// Reads the templates of `directory` and compiles them (with the built-in ones they replace or include), so
    /// that a syntax error or a template that includes itself is reported now, before any run is trained.
    public static func load(directory: String) throws -> ReportTemplates {
        var texts = DefaultTemplates.all
        var sources: [String: String] = [:]
        var found = false
        for name in names {
            let path = (directory as NSString).appendingPathComponent("\(name).mustache")
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ReportError.io(path: path, message: "cannot read the template")
            }
            texts[name] = text
            sources[name] = path
            found = true
        }
        guard found else {
            throw ReportError.io(path: directory, message: "no report.mustache or style.mustache in the template "
                + "directory")
        }
        let templates = ReportTemplates(texts: texts)
        _ = try templates.library(sources: sources)
        return templates
    }

    /// The compiled templates; `sources` names the file of each template read from disk, for messages.
    func library(sources: [String: String] = [:]) throws -> MustacheLibrary {
        try TemplateIncludes.checkForCycles(texts, sources: sources)
        var library = MustacheLibrary()
        for (name, text) in texts.sorted(by: { $0.key < $1.key }) {
            do {
                try library.register(text, named: name)
            } catch {
                throw ReportError.template(name: sources[name] ?? name, message: TemplateIncludes.describe(error))
            }
        }
        return library
    }
}

/// Writes the report as one self-contained HTML file: inline CSS, inline SVG figures, no external loads.
/// Every string from the spec or the results is HTML-escaped: plain fields by Mustache's `{{…}}`, the prose fields
/// (paragraphs, captions, table cells, headings, claims) here in Swift (`LabelMarkup.escape`/`proseMarkup`), and the
/// template inserts those with `{{{…}}}`; the renderer's SVG is the only raw insertion (`{{{svg}}}`).
public struct HTMLReportWriter {
    public var templates: ReportTemplates

    public init(templates: ReportTemplates = .builtIn) { self.templates = templates }

    /// `svgs`: each figure's SVG text by figure id (already id-prefixed by the renderer).
    public func html(for document: ReportDocument, svgs: [String: String]) throws -> String {
        let library = try templates.library()
        guard let html = library.render(context(for: document, svgs: svgs), withTemplate: "report") else {
            throw ReportError.template(name: "report", message: "the template library has no template named report")
        }
        return html
    }

    func context(for document: ReportDocument, svgs: [String: String]) -> [String: Any] {
        let provenance = document.provenance
        let passed = document.passedClaims, total = document.claims.count
        // Escaped here (the template inserts these with triple braces), with sub/superscripts when the document
        // writes its math that way.
        let prose: (String) -> String = document.scriptsInProse ? LabelMarkup.proseMarkup(from:) : LabelMarkup.escape
        var sections: [[String: Any]] = []
        for (index, section) in document.sections.enumerated() {
            let blocks: [[String: Any]] = section.blocks.map { block in
                // Every block carries every flag, so a Mustache lookup never falls through to an outer context.
                var context: [String: Any] = ["isParagraph": false, "isFigure": false, "isTable": false, "isClaims": false]
                switch block {
                case .paragraph(let text):
                    context["isParagraph"] = true
                    context["paragraphText"] = prose(text)
                case .figure(let figure):
                    context["isFigure"] = true
                    context["figureID"] = figure.id
                    context["figureNumber"] = figure.number
                    context["hasFigureTitle"] = figure.title != nil
                    context["figureTitle"] = prose(figure.title ?? "")
                    context["caption"] = prose(figure.caption)
                    context["svg"] = svgs[figure.id].map(Self.inlineSVG) ?? ""
                    context["csvPath"] = figure.csvPath
                    context["pdfPath"] = figure.pdfPath
                    context["pngPath"] = figure.pngPath
                case .table(let table):
                    context["isTable"] = true
                    context["tableCaption"] = prose(table.caption)
                    let kinds = table.columns
                    func kind(_ column: Int) -> String { column < kinds.count ? kinds[column].rawValue : "text" }
                    context["header"] = table.header.enumerated().map { ["text": prose($0.element), "kind": kind($0.offset)] }
                    context["rows"] = table.rows.map { row in
                        ["cells": row.enumerated().map { ["text": prose($0.element), "kind": kind($0.offset)] }]
                    }
                case .claims:
                    context["isClaims"] = true
                    context["passedCount"] = passed
                    context["claimCount"] = total
                    context["claimRows"] = document.claims.map { claimRow($0, prose: prose) }
                }
                return context
            }
            sections.append(["anchor": section.id, "heading": prose(section.title), "number": index + 1, "blocks": blocks])
        }
        let failed = total - passed
        let context: [String: Any] = [
            "tool": provenance.tool, "toolVersion": provenance.toolVersion,
            "title": document.title,
            "hasDescription": document.description != nil,
            // Blank lines separate paragraphs (YAML `|` blocks); single newlines are just spaces.
            "descriptionParagraphs": (document.description ?? "").components(separatedBy: "\n\n")
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
                .map { ["paragraph": prose($0)] },
            "commitShort": String(provenance.gitCommit.prefix(12)), "dirty": provenance.gitDirty ?? false,
            "hasSourceDate": provenance.sourceDate != nil, "sourceDate": provenance.sourceDate ?? "",
            "hasClaims": total > 0,
            "verdictClass": failed == 0 ? "pass" : "fail",
            "verdictMark": failed == 0 ? "✓" : "✗",
            "verdictText": failed == 0 ? "All \(total) claims passed" : "\(failed) of \(total) claims failed",
            "sections": sections,
            "provenanceNumber": sections.count + 1,
            "provenance": Self.provenanceRows(provenance).map { ["name": $0.0, "value": $0.1] },
        ]
        return context.mapValues(Self.withoutControlCharacters)
    }

    /// Every string of a template context with its control characters (C0 but tab and newline, DEL, C1) written
    /// as visible `\u{..}` text: they are not allowed in HTML or in the inline SVG's XML, and Mustache's escaping
    /// leaves them alone. Strings without one are returned as they are.
    static func withoutControlCharacters(_ value: Any) -> Any {
        switch value {
        case let text as String: return visibleControlCharacters(text)
        case let dictionary as [String: Any]: return dictionary.mapValues(withoutControlCharacters)
        case let list as [[String: Any]]: return list.map { $0.mapValues(withoutControlCharacters) }
        case let list as [Any]: return list.map(withoutControlCharacters)
        default: return value
        }
    }

    static func visibleControlCharacters(_ text: String) -> String {
        func isControl(_ scalar: Unicode.Scalar) -> Bool {
            (scalar.value < 0x20 && scalar != "\t" && scalar != "\n") || (0x7F...0x9F).contains(scalar.value)
        }
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private func claimRow(_ claim: ClaimOutcome, prose: (String) -> String) -> [String: Any] {
        [
            "id": claim.id, "statement": prose(claim.statement),
            "hasSource": claim.source != nil, "source": claim.source ?? "",
            "expression": claim.measuredExpression,
            "statusClass": claim.passed ? "pass" : "fail",
            "statusMark": claim.passed ? "✓" : "✗",
            "statusText": claim.passed ? "PASS" : "FAIL",
            "measured": claim.measured.map(formatMeasure) ?? "—",
            "predicted": claim.predicted.map(formatMeasure) ?? "—",
            "comparison": claim.comparison == "<=" ? "≤" : claim.comparison == ">=" ? "≥" : claim.comparison,
            "hasTolerance": (claim.tolerance ?? 0) > 0,
            "tolerance": claim.tolerance.map { formatMeasure($0) + (claim.relative ? " (relative)" : "") } ?? "",
            "detail": prose(claim.detail),
        ]
    }

    /// Provenance as (name, value) rows, in a fixed order.
    static func provenanceRows(_ provenance: Provenance) -> [(String, String)] {
        var rows: [(String, String)] = [
            ("tool", "\(provenance.tool) \(provenance.toolVersion)"),
            ("git commit", provenance.gitCommit + (provenance.gitDirty == true ? " (dirty: uncommitted changes)" : "")),
            ("Swift", provenance.swiftVersion),
            ("operating system", "\(provenance.operatingSystem) (\(provenance.architecture))"),
            ("CPU", "\(provenance.cpuModel), \(provenance.logicalCores) logical cores"),
        ]
        if let compute = provenance.compute {
            rows.append(("BLAS", "\(compute.blasLibrary), core \(compute.blasCoreName), \(compute.blasThreads) thread\(compute.blasThreads == 1 ? "" : "s")"))
        } else {
            rows.append(("BLAS", "not reported"))
        }
        if let graphics = provenance.graphics {
            rows.append(("cairo / pango", "\(graphics.cairoVersion) / \(graphics.pangoVersion)"))
        }
        for font in provenance.fonts { rows.append(("font", "\(font.path) sha256:\(font.sha256)")) }
        rows.append(("seeds", provenance.seeds.map(String.init).joined(separator: ", ")))
        if let date = provenance.sourceDate { rows.append(("SOURCE_DATE_EPOCH", date)) }
        return rows
    }

    /// An SVG document as an inline element: drop the XML declaration and DOCTYPE, which HTML does not allow.
    static func inlineSVG(_ svg: String) -> String {
        var text = Substring(svg)
        for prefix in ["<?xml", "<!DOCTYPE"] {
            while true {
                let trimmed = text.drop { $0.isWhitespace }
                guard trimmed.hasPrefix(prefix), let end = trimmed.firstIndex(of: ">") else { break }
                text = trimmed[trimmed.index(after: end)...]
            }
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

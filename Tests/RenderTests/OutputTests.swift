import Foundation
import Testing
@testable import Render

func tool(_ name: String) -> String? {
    for dir in ["/usr/bin", "/usr/local/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") { return "\(dir)/\(name)" }
    return nil
}

@discardableResult
func run(_ exe: String, _ args: [String]) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = args
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

func temporaryDirectory() throws -> URL {
    let u = FileManager.default.temporaryDirectory.appendingPathComponent("render-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
    return u
}

@Suite(.serialized) struct OutputTests {
    @Test func sameFigureGivesIdenticalBytesTwice() throws {
        let f = DemoFigures.convergence()
        #expect(try f.pdfData() == f.pdfData())
        #expect(try f.svgString(idPrefix: "a") == f.svgString(idPrefix: "a"))
        #expect(try f.pngData(dpi: 72) == f.pngData(dpi: 72))
        #expect(try f.displayList() == f.displayList())
    }

    @Test func pdfCreationDateIsFixed() throws {
        let pdf = String(decoding: try DemoFigures.histogram().pdfData(), as: UTF8.self)
        // cairo 1.16 writes the date without the "D:" prefix
        #expect(pdf.contains("/CreationDate (20190527000000Z)") || ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"] != nil)
        #expect(pdf.contains("/Creator"))
    }

    @Test func svgIdsArePrefixedAndResolve() throws {
        let a = try DemoFigures.convergence().svgString(idPrefix: "figA")
        let b = try DemoFigures.gram().svgString(idPrefix: "figB")
        let idsA = SVGIdentifiers.definedIds(in: a), idsB = SVGIdentifiers.definedIds(in: b)
        #expect(!idsA.isEmpty && !idsB.isEmpty)
        #expect(idsA.allSatisfy { $0.hasPrefix("figA-") })
        #expect(idsB.allSatisfy { $0.hasPrefix("figB-") })
        #expect(Set(idsA).isDisjoint(with: Set(idsB)))
        #expect(Set(SVGIdentifiers.references(in: a)).isSubset(of: Set(idsA)))
        #expect(Set(SVGIdentifiers.references(in: b)).isSubset(of: Set(idsB)))
    }

    @Test func svgFragmentStartsWithTheSvgElement() throws {
        let s = try DemoFigures.histogram().svgString(idPrefix: "h", includesXMLDeclaration: false)
        #expect(s.hasPrefix("<svg "))
    }

    @Test func svgBytesDoNotDependOnEarlierDrawing() throws {
        let first = try DemoFigures.grid().svgString(idPrefix: "g")
        _ = try DemoFigures.gram().svgString(idPrefix: "other")      // advances cairo's global counters
        #expect(try DemoFigures.grid().svgString(idPrefix: "g") == first)
    }

    @Test func pngHasPixelSizeAndPhysicalDPI() throws {
        let f = Figure(size: .inches(2, 1.5), panels: [Panel(layers: [.line(Line([1, 3, 2]))])])
        for dpi in [72.0, 150, 300] {
            let info = try #require(PNGMetadata.info(try f.pngData(dpi: dpi)))
            #expect(info.width == Int(2 * dpi) && info.height == Int(1.5 * dpi))
            #expect(abs((info.dpi ?? 0) - dpi) < 0.05)
        }
    }

    @Test func writeChoosesFormatAndWritesCSVBeside() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = DemoFigures.histogram()
        for ext in ["pdf", "svg", "png"] {
            let csv = try f.write(to: dir.appendingPathComponent("hist.\(ext)"))
            #expect(csv.lastPathComponent == "hist.csv")
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("hist.\(ext)").path))
        }
        #expect(try String(contentsOf: dir.appendingPathComponent("hist.csv"), encoding: .utf8) == f.csvString())
        #expect(throws: RenderError.self) { try f.write(to: dir.appendingPathComponent("hist.jpg")) }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func pdfEmbedsFontsAndNoType3() throws {
        guard let pdffonts = tool("pdffonts") else { return }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("c.pdf")
        try AtomicFile.write(try DemoFigures.convergence().pdfData(), to: url)
        let out = try run(pdffonts, [url.path]).output
        let rows = out.split(separator: "\n").dropFirst(2)
        #expect(!rows.isEmpty)
        for row in rows {
            #expect(!row.contains("Type 3"), "\(row)")
            let cols = row.split(separator: " ", omittingEmptySubsequences: true)
            // columns: name type [encoding…] emb sub uni object ID — "emb" is the 5th from the end
            #expect(cols.count >= 7 && cols[cols.count - 5] == "yes", "not embedded: \(row)")
        }
    }

    @Test func qpdfAcceptsThePDF() throws {
        guard let qpdf = tool("qpdf") else { return }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("g.pdf")
        try AtomicFile.write(try DemoFigures.grid().pdfData(), to: url)
        #expect(try run(qpdf, ["--check", url.path]).status == 0)
    }

    @Test func rsvgRendersTheSVG() throws {
        guard let rsvg = tool("rsvg-convert") else { return }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("o.svg")
        try AtomicFile.write(Data(try DemoFigures.outputSpace().svgString(idPrefix: "o").utf8), to: url)
        let r = try run(rsvg, ["-o", dir.appendingPathComponent("o.png").path, url.path])
        #expect(r.status == 0, "\(r.output)")
    }

    @Test func csvIsLongFormatWithRoundTripNumbers() throws {
        let f = Figure(panels: [Panel(layers: [.line(Line(x: [0.1, 1e-7], y: [1.0 / 3, -2], label: "a, \"b\"")),
                                                .heatmap(Heatmap([[1, 2]]))])])
        let lines = f.csvString().split(separator: "\n").map(String.init)
        #expect(lines[0] == CSVExport.header)
        #expect(lines[1] == "1,1,line,\"a, \"\"b\"\"\",0,0.1,0.3333333333333333,,,")
        #expect(lines[2] == "1,1,line,\"a, \"\"b\"\"\",1,1e-07,-2.0,,,")
        #expect(lines[4] == "1,2,heatmap,,1,1.0,0.0,,,2.0")
        #expect(Double("0.3333333333333333") == 1.0 / 3)
    }

    @Test func invalidInputIsATypedError() {
        let bad = Figure(panels: [Panel(layers: [.line(Line(x: [1, 2], y: [1]))])])
        #expect(throws: RenderError.self) { try bad.pdfData() }
        #expect(throws: RenderError.self) { try FigureSize(parsing: "huge") }
        #expect(throws: RenderError.self) { try DemoFigures.grid().pngData(dpi: 0) }
    }

    @Test func sizeStringsParse() throws {
        #expect(try FigureSize(parsing: "neurips").width == 5.5)
        #expect(try FigureSize(parsing: "icml-column", aspect: 1).height == 3.25)
        #expect(try FigureSize(parsing: "icml-full").width == 6.75)
        #expect(try FigureSize(parsing: "4x2.5") == FigureSize(width: 4, height: 2.5))
    }
}

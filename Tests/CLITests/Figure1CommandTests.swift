import Foundation
import Testing

@Suite("ngd figure1")
struct Figure1CommandTests {
    private func render(_ file: String, in directory: URL, extra: [String] = []) throws -> CLIRunner.Outcome {
        try CLIRunner.run(["figure1", "--per-class", "4", "--width", "512", "--out",
                           directory.appendingPathComponent(file).path] + extra)
    }

    @Test("the same command twice gives byte-identical PDF, SVG, PNG and CSV")
    func outputsAreReproducible() throws {
        let first = try CLIRunner.temporaryDirectory("figure1-a"), second = try CLIRunner.temporaryDirectory("figure1-b")
        defer { try? FileManager.default.removeItem(at: first); try? FileManager.default.removeItem(at: second) }
        for directory in [first, second] {
            for file in ["f.pdf", "f.svg", "f.png"] {
                let outcome = try render(file, in: directory)
                #expect(outcome.status == 0, "\(outcome.stderr)")
            }
        }
        for file in ["f.pdf", "f.svg", "f.png", "f.csv"] {
            let a = try Data(contentsOf: first.appendingPathComponent(file))
            let b = try Data(contentsOf: second.appendingPathComponent(file))
            #expect(!a.isEmpty && a == b, "\(file) differs between runs")
        }
    }

    @Test("the CSV has one row per example with the documented columns")
    func csvHasTheContractColumns() throws {
        let directory = try CLIRunner.temporaryDirectory("figure1-csv")
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = try render("f.svg", in: directory)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = try String(contentsOf: directory.appendingPathComponent("f.csv"), encoding: .utf8)
            .split(separator: "\n")
        let header = Set((lines.first ?? "").split(separator: ",").map(String.init))
        for column in ["example", "class", "u1", "u2", "y1", "y2", "ngd_du1", "ngd_du2", "gd_du1", "gd_du2"] {
            #expect(header.contains(column), "missing column \(column)")
        }
        #expect(lines.count == 1 + 8)
    }

    @Test("the PDF embeds its fonts and has no Type 3 fonts (when poppler-utils is installed)")
    func pdfFontsAreEmbedded() throws {
        let pdffonts = "/usr/bin/pdffonts"
        guard FileManager.default.isExecutableFile(atPath: pdffonts) else { return }
        let directory = try CLIRunner.temporaryDirectory("figure1-fonts")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try render("f.pdf", in: directory).status == 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pdffonts)
        process.arguments = [directory.appendingPathComponent("f.pdf").path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let fonts = text.split(separator: "\n").dropFirst(2)
        #expect(!fonts.isEmpty)
        #expect(fonts.allSatisfy { !$0.contains("Type 3") })
        // Column "emb" is the third from the right-hand group: every font line must say "yes" there.
        #expect(fonts.allSatisfy { $0.split(separator: " ", omittingEmptySubsequences: true).suffix(5).first == "yes" })
    }
}

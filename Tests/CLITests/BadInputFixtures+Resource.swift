import Foundation

extension BadInputFixtures {
    /// Fixtures for Corpus/resources.txt: CSV cells that are not decimal numbers, rows at the ends of the double
    /// range, a small CSV that a low NGD_MEMORY_LIMIT refuses, specs that ask for too much, templates that include
    /// themselves.
    static func writeResourceFixtures(into directory: URL) throws {
        func file(_ name: String, _ contents: String) throws { try BadInputFixtures.file(name, contents, in: directory) }

        try file("hex.csv", "y,a\n1,0.5\n-1,0x10\n")
        try file("nul.csv", "y,a\n1,2\u{0}abc\n")
        try file("separator.csv", "y,a\n1,1_000\n")
        try file("infinity.csv", "y,a\n1,-Infinity\n")
        try file("nan-payload.csv", "y,a\n1,nan(1)\n")
        try file("overflow.csv", "y,a\n1,1e400\n")
        try file("huge-values.csv", "y,a,b\n1,1e200,1e200\n")
        try file("tiny-values.csv", "y,a,b\n1,1e-200,1e-200\n")
        try file("rows-64.csv", "y,a,b\n" + (0..<64).map { "\($0 % 2),\($0 + 1),1\n" }.joined())

        func spec(_ name: String, dataset: String = "{kind: synthetic, n: 10, d: 5}", width: String = "100",
                  body: String = "runs:\n  - {id: r, dataset: data, model: net, optimizer: ngd, steps: 2}\n") throws {
            try file(name, "title: limits\ndatasets:\n  data: \(dataset)\nmodels:\n  net: {width: \(width)}\n"
                         + "optimizers:\n  ngd: {kind: ngd, lr: 0.5}\n" + body)
        }
        let run = "runs:\n  - {id: r, dataset: data, model: net, optimizer: ngd, steps: 2}\n"
        func claim(_ expression: String) -> String {
            run + "claims:\n  - {id: c, statement: s, measured: \"\(expression)\", predicted: 1, compare: \"<=\"}\n"
        }
        try spec("spec-ok.yaml")
        try spec("spec-big-n.yaml", dataset: "{kind: synthetic, n: 100000, d: 10}")
        try spec("spec-wide.yaml", width: "1000000000000")
        try spec("spec-csv-rows.yaml", dataset: "{kind: csv, path: rows-64.csv}")
        let tenValues = "[" + (1...10).map(String.init).joined(separator: ", ") + "]"
        let axes = ["width", "steps", "seed", "n", "d", "init_scale", "input_conditioning", "lr", "damping"]
        try spec("spec-huge-sweep.yaml", body: "sweeps:\n  - id: s\n    dataset: data\n    model: net\n    optimizer: ngd\n"
                 + "    steps: 1\n    over:\n" + axes.map { "      \($0): \(tenValues)\n" }.joined())
        try spec("spec-deep-claim.yaml", body: claim(String(repeating: "(", count: 2000) + "r.loss" + String(repeating: ")", count: 2000)))
        try spec("spec-many-terms.yaml", body: claim(Array(repeating: "1", count: 5000).joined(separator: "+")))
        try spec("spec-at-huge.yaml", body: claim("at(r.loss, 1e300)"))

        try file("templates-self/report.mustache", "<html>{{> report}}</html>\n")
        try file("templates-cycle/report.mustache", "<html><style>{{> style}}</style></html>\n")
        try file("templates-cycle/style.mustache", "body {} {{> report}}\n")
        try file("templates-delimiters/report.mustache", "{{=<% %>=}}<html><%> report %></html>\n")
        try file("templates-syntax/report.mustache", "<html>{{#sections}}unclosed</html>\n")
    }
}

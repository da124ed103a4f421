import Foundation
import Testing
@testable import Report

@Suite struct ExampleSpecTests {
    private var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @Test func everyExampleSpecParsesAndResolves() throws {
        let examples = root.appendingPathComponent("examples")
        let files = try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { $0.hasSuffix(".yaml") }
        #expect(!files.isEmpty)
        for file in files {
            let text = try String(contentsOf: examples.appendingPathComponent(file), encoding: .utf8)
            let experiment = try ExperimentSpec.parse(yaml: text, file: file).resolved()
            #expect(!experiment.runs.isEmpty, "\(file)")
        }
    }

    @Test func theSpecDocumentShowsTheExampleVerbatim() throws {
        let doc = try String(contentsOf: root.appendingPathComponent("docs/SPEC.md"), encoding: .utf8)
        let example = try String(contentsOf: root.appendingPathComponent("examples/ngd-vs-gd.yaml"), encoding: .utf8)
        #expect(doc.contains("```yaml\n" + example + "```"))
    }

    @Test func theDocumentedErrorMessagesAreTheRealOnes() throws {
        // docs/SPEC.md quotes these; keep them honest.
        let doc = try String(contentsOf: root.appendingPathComponent("docs/SPEC.md"), encoding: .utf8)
        #expect(doc.contains("optimizers.fast.lr: expected a number or \"1/lambda_max\", got \"fast\""))
        #expect(doc.contains("runs[0].model: no model named \"nett\"; defined: net"))
    }
}

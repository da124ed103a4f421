import Testing
@testable import Report

/// `ngd verify` of a paper directory re-runs the command line its manifest recorded: the line must round-trip.
@Suite struct PaperSettingsTests {
    @Test(arguments: [
        PaperSettings(), PaperSettings(quick: true), PaperSettings(seeds: 5), PaperSettings(quick: true, seeds: 1),
        PaperSettings(quick: false, seeds: 3, mnistDirectory: "/data/mnist"),
    ])
    func recordedInvocationGivesTheSameSettingsBack(settings: PaperSettings) throws {
        let parsed = try PaperSettings(invocation: settings.invocation, mnistDirectory: settings.mnistDirectory,
                                       manifestPath: "m.json")
        #expect(parsed == settings)
        #expect(!settings.invocation.contains("/data/mnist"))   // no machine path in the manifest
    }

    @Test func aRecordedMNISTRunNeedsTheDirectoryAgain() {
        #expect {
            try PaperSettings(invocation: "ngd paper --mnist-dir <MNIST directory>", mnistDirectory: nil,
                              manifestPath: "out/manifest.json")
        } throws: { error in
            "\(error)".hasPrefix("out/manifest.json: the report was made with --mnist-dir")
        }
    }

    @Test(arguments: ["ngd report x.yaml", "ngd paper --fast", "ngd paper --seeds 0", "ngd paper --seeds"])
    func otherCommandLinesAreRejectedNamingTheManifest(line: String) {
        #expect(throws: ReportError.self) {
            try PaperSettings(invocation: line, mnistDirectory: nil, manifestPath: "m.json")
        }
    }
}

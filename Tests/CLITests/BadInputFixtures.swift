import Foundation

/// Writes the files that the bad-input corpus refers to as `{dir}/NAME`. Every fixture is made here, by the test.
enum BadInputFixtures {
    static func write(into directory: URL) throws {
        func file(_ name: String, _ contents: String) throws {
            let url = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }
        func bytes(_ name: String, _ contents: [UInt8]) throws {
            let url = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents).write(to: url)
        }

        // CSV data files.
        try file("good.csv", "y,a,b,c\n1,0.5,0.2,0.1\n-1,0.1,0.9,0.3\n0.5,0.3,0.3,0.9\n")
        try file("empty.csv", "")
        try file("header-only.csv", "y,a,b\n")
        try file("ragged.csv", "y,a,b\n1,0.5,0.2\n-1,0.1\n")
        try file("non-numeric.csv", "y,a,b\n1,0.5,0.2\n-1,abc,0.3\n")
        try file("nan.csv", "y,a,b\n1,0.5,0.2\n-1,nan,0.3\n")
        try file("inf.csv", "y,a,b\n1,0.5,inf\n-1,0.1,0.3\n")
        try file("zero-row.csv", "y,a,b\n1,0.5,0.2\n-1,0,0\n")
        try file("no-target.csv", "a,b\n0.5,0.2\n0.1,0.3\n")
        try file("no-feature.csv", "y\n1\n-1\n")
        try file("no-header.csv", "1,0.5,0.2\n-1,0.1,0.3\n")
        try file("duplicate-rows.csv", "y,a,b\n1,0.6,0.8\n-1,0.6,0.8\n0.5,0.8,0.6\n")
        try bytes("binary.csv", [0xFF, 0xFE, 0x00, 0x80, 0x81])
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("a-directory.csv"),
                                                withIntermediateDirectories: true)

        // MNIST-style IDX directories.
        let labels: [UInt8] = [4, 9, 4]
        func idxImages(count: UInt32, rows: UInt32, columns: UInt32, pixels: Int, magic: UInt32 = 0x0803) -> [UInt8] {
            bigEndian(magic) + bigEndian(count) + bigEndian(rows) + bigEndian(columns) + [UInt8](repeating: 7, count: pixels)
        }
        func idxLabels(_ values: [UInt8], magic: UInt32 = 0x0801) -> [UInt8] {
            bigEndian(magic) + bigEndian(UInt32(values.count)) + values
        }
        let goodImages = idxImages(count: 3, rows: 2, columns: 2, pixels: 12)
        try bytes("mnist-bad-magic/t10k-images-idx3-ubyte", idxImages(count: 3, rows: 2, columns: 2, pixels: 12, magic: 0x0804))
        try bytes("mnist-bad-magic/t10k-labels-idx1-ubyte", idxLabels(labels))
        try bytes("mnist-truncated/t10k-images-idx3-ubyte", Array(goodImages.dropLast(5)))
        try bytes("mnist-truncated/t10k-labels-idx1-ubyte", idxLabels(labels))
        try bytes("mnist-zero-dims/t10k-images-idx3-ubyte", idxImages(count: 3, rows: 0, columns: 2, pixels: 0))
        try bytes("mnist-zero-dims/t10k-labels-idx1-ubyte", idxLabels(labels))
        try bytes("mnist-count-mismatch/t10k-images-idx3-ubyte", goodImages)
        try bytes("mnist-count-mismatch/t10k-labels-idx1-ubyte", idxLabels([4, 9]))
        try bytes("mnist-bad-label/t10k-images-idx3-ubyte", goodImages)
        try bytes("mnist-bad-label/t10k-labels-idx1-ubyte", idxLabels([4, 12, 9]))
        try bytes("mnist-corrupt-gzip/t10k-images-idx3-ubyte.gz", [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xDE, 0xAD])
        try bytes("mnist-corrupt-gzip/t10k-labels-idx1-ubyte", idxLabels(labels))
        try bytes("mnist-empty/t10k-images-idx3-ubyte", [])
        try bytes("mnist-empty/t10k-labels-idx1-ubyte", [])
        try bytes("mnist-no-labels/t10k-images-idx3-ubyte", goodImages)
        try bytes("mnist-good/t10k-images-idx3-ubyte", goodImages)
        try bytes("mnist-good/t10k-labels-idx1-ubyte", idxLabels(labels))
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("mnist-empty-dir"),
                                                withIntermediateDirectories: true)
        // Experiment specs.
        let base = minimalSpec()
        try file("spec-bad-yaml.yaml", "title: [unclosed\n")
        try file("spec-empty.yaml", "")
        try file("spec-unknown-key.yaml", "title: t\nbogus: 1\n")
        try file("spec-unknown-nested.yaml", base.replacingOccurrences(of: "d: 4}", with: "d: 4, colour: red}"))
        try file("spec-wrong-type.yaml", base.replacingOccurrences(of: "n: 8", with: "n: many"))
        try file("spec-width-zero.yaml", base.replacingOccurrences(of: "width: 10", with: "width: 0"))
        try file("spec-lr-negative.yaml", base.replacingOccurrences(of: "lr: 0.5", with: "lr: -1"))
        try file("spec-steps-negative.yaml", base.replacingOccurrences(of: "steps: 2", with: "steps: -3"))
        try file("spec-dangling.yaml", base.replacingOccurrences(of: "dataset: s,", with: "dataset: nope,"))
        try file("spec-escape.yaml", base + """
        figures:
          - {id: ../../escape, kind: convergence, runs: [r], metric: residual_norm, caption: c}

        """)
        try file("spec-bad-claim.yaml", base + """
        claims:
          - {id: c1, statement: s, measured: "nonsense(((", predicted: 1, compare: "<="}

        """)

        try file("not-a-run.json", "{\"a\": 1}\n")

        // An output location that cannot be written: a path below a regular file.
        try file("a-file", "not a directory\n")

        // Each area of the corpus adds its own fixtures (one file each, so they grow independently).
        try writeOutputDirectoryFixtures(into: directory)
        try writeCacheFixtures(into: directory)
        try writeResourceFixtures(into: directory)
        try writeValidationFixtures(into: directory)
        try writeSlurmFixtures(into: directory)
    }

    /// A valid one-run spec (data set `s`, model `m`, optimizer `o`, run `r`) that cases vary by replacing text.
    static func minimalSpec(dataset: String = "{kind: synthetic, n: 8, d: 4}") -> String {
        """
        title: t
        datasets:
          s: \(dataset)
        models:
          m: {width: 10}
        optimizers:
          o: {kind: ngd, lr: 0.5}
        runs:
          - {id: r, dataset: s, model: m, optimizer: o, steps: 2}

        """
    }

    /// Writes `contents` to `directory/name`, creating the folders on the way.
    static func file(_ name: String, _ contents: String, in directory: URL) throws {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}

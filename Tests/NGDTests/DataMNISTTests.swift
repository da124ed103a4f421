import Foundation
import Testing
import NGD

@Suite struct DataMNISTTests {
    /// A t10k-style directory with `count` 4×3 images labelled 0,1,…,9,0,… (gzipped when asked).
    private func mnistDirectory(count: Int = 20, gzipped: Bool = true, split: String = "t10k") throws -> URL {
        let dir = try DataFixtures.temporaryDirectory()
        let images = DataFixtures.idxImages(count: count, rows: 4, columns: 3) { image, j in UInt8(1 + (image + j) % 200) }
        let labels = DataFixtures.idxLabels((0..<count).map { UInt8($0 % 10) })
        let suffix = gzipped ? ".gz" : ""
        try DataFixtures.write(gzipped ? DataFixtures.gzip(images) : images, to: dir,
                               as: "\(split)-images-idx3-ubyte\(suffix)")
        try DataFixtures.write(gzipped ? DataFixtures.gzip(labels) : labels, to: dir,
                               as: "\(split)-labels-idx1-ubyte\(suffix)")
        return dir
    }

    @Test func readsImagesOfAnySizeFromGzippedIDX() throws {
        let dir = try mnistDirectory()
        let set = try MNIST.load(directory: dir.path)
        #expect(set.count == 20)
        #expect(set.images.rows == 4 && set.images.columns == 3)
        #expect(set.images.pixels.count == 20 * 12)
        #expect(set.images.pixels[12 * 5 + 2] == UInt8(1 + (5 + 2) % 200))
        #expect(set.labels == (0..<20).map { $0 % 10 })
        #expect(set.maximumPixelValue == 255)
        #expect(set.name == "MNIST t10k")
    }

    @Test func readsUncompressedIDXToo() throws {
        let set = try MNIST.load(directory: try mnistDirectory(gzipped: false).path)
        #expect(set.count == 20)
    }

    @Test func prefersTheTrainingSplitWhenBothArePresent() throws {
        let dir = try mnistDirectory(count: 20)
        let images = DataFixtures.idxImages(count: 30, rows: 4, columns: 3)
        try DataFixtures.write(images, to: dir, as: "train-images-idx3-ubyte")
        try DataFixtures.write(DataFixtures.idxLabels((0..<30).map { UInt8($0 % 10) }), to: dir,
                               as: "train-labels-idx1-ubyte")
        let set = try MNIST.load(directory: dir.path)
        #expect(set.name == "MNIST train")
        #expect(set.count == 30)
    }

    @Test func trainingImagesWithoutLabelsIsAnError() throws {
        let dir = try mnistDirectory()
        try DataFixtures.write(DataFixtures.idxImages(count: 3, rows: 2, columns: 2), to: dir, as: "train-images-idx3-ubyte.gz")
        let error = DataFixtures.error { _ = try MNIST.files(in: dir.path) }
        #expect(error?.source == dir.path)
        #expect(error?.message.contains("train-labels-idx1-ubyte") == true)
    }

    @Test func badMagicNamesTheFile() throws {
        let dir = try DataFixtures.temporaryDirectory()
        let path = try DataFixtures.write(DataFixtures.idxImages(count: 2, rows: 2, columns: 2, magic: 0x1234_5678),
                                          to: dir, as: "x-images")
        let error = DataFixtures.error { _ = try IDXFile.readImages(atPath: path) }
        #expect(error?.source == path)
        #expect(error?.message.contains("bad magic number 0x12345678") == true)
    }

    @Test func labelsFileGivenAsImagesIsABadMagic() throws {
        let dir = try DataFixtures.temporaryDirectory()
        let path = try DataFixtures.write(DataFixtures.idxLabels([1, 2, 3]), to: dir, as: "labels")
        let error = DataFixtures.error { _ = try IDXFile.readImages(atPath: path) }
        #expect(error?.message.contains("wrong dimensions") == true)
        #expect(error?.message.contains("0x00000801") == true)
    }

    @Test func zeroSizedImagesAreWrongDimensions() throws {
        let dir = try DataFixtures.temporaryDirectory()
        let path = try DataFixtures.write(DataFixtures.idxImages(count: 2, rows: 0, columns: 28), to: dir, as: "flat")
        let error = DataFixtures.error { _ = try IDXFile.readImages(atPath: path) }
        #expect(error?.source == path)
        #expect(error?.message.contains("wrong dimensions: images of 0×28") == true)
    }

    @Test func truncatedPixelsAreAnError() throws {
        let dir = try DataFixtures.temporaryDirectory()
        let full = DataFixtures.idxImages(count: 5, rows: 3, columns: 3)
        let path = try DataFixtures.write(DataFixtures.gzip(Array(full.dropLast(4))), to: dir, as: "short.gz")
        let error = DataFixtures.error { _ = try IDXFile.readImages(atPath: path) }
        #expect(error == NGDError(path, "truncated IDX data: the header declares 5×3×3 = 45 bytes, the file holds 41"))
    }

    @Test func hugeDeclaredSizeIsTruncationNotAnAllocation() throws {
        var bytes = DataFixtures.idxImages(count: 1, rows: 2, columns: 2)
        bytes.replaceSubrange(4..<8, with: DataFixtures.bigEndian(UInt32.max))
        let error = DataFixtures.error { _ = try IDXFile.images(from: Data(bytes), source: "big") }
        #expect(error?.message.hasPrefix("truncated IDX data") == true)
    }

    @Test func truncatedHeaderIsAnError() throws {
        let error = DataFixtures.error { _ = try IDXFile.labels(from: Data([0, 0, 8, 1, 0]), source: "tiny") }
        #expect(error == NGDError("tiny", "truncated IDX header: 5 bytes, expected at least 8"))
    }

    @Test func imageAndLabelCountMismatchNamesBothFiles() throws {
        let dir = try mnistDirectory(count: 20, gzipped: false)
        let labels = try DataFixtures.write(DataFixtures.idxLabels(Array(repeating: 4, count: 19)), to: dir,
                                            as: "t10k-labels-idx1-ubyte")
        let error = DataFixtures.error { _ = try MNIST.load(directory: dir.path) }
        #expect(error?.source == labels)
        #expect(error?.message.contains("19 labels") == true)
        #expect(error?.message.contains("20 images") == true)
    }

    @Test func labelAboveNineIsAnError() throws {
        let dir = try mnistDirectory(count: 3, gzipped: false)
        let labels = try DataFixtures.write(DataFixtures.idxLabels([1, 12, 3]), to: dir, as: "t10k-labels-idx1-ubyte")
        let error = DataFixtures.error { _ = try MNIST.load(directory: dir.path) }
        #expect(error == NGDError(labels, "label 12 at index 1 is not a digit 0–9"))
    }

    @Test func missingDirectoryAndEmptyDirectoryAreErrors() throws {
        let dir = try DataFixtures.temporaryDirectory()
        let absent = dir.appendingPathComponent("nope").path
        #expect(DataFixtures.error { _ = try MNIST.load(directory: absent) } == NGDError(absent, "MNIST directory does not exist"))
        let error = DataFixtures.error { _ = try MNIST.load(directory: dir.path) }
        #expect(error?.message.hasPrefix("no MNIST files") == true)
    }

    @Test func directoryComesFromThePathThenTheEnvironment() throws {
        #expect(try MNIST.directory("/a", environment: ["NGD_MNIST_DIR": "/b"]) == "/a")
        #expect(try MNIST.directory(nil, environment: ["NGD_MNIST_DIR": "/b"]) == "/b")
        let error = DataFixtures.error { _ = try MNIST.directory(nil, environment: [:]) }
        #expect(error?.source == "--mnist-dir")
        #expect(error?.message.contains("NGD_MNIST_DIR") == true)
        #expect(error?.isUsageError == true)
    }

    @Test func requestSelectsClassesFromAnMNISTDirectory() throws {
        let dir = try mnistDirectory(count: 40)
        let request = DatasetRequest(kind: .mnist, outputs: 2, classes: [4, 9], perClass: 3, path: dir.path, seed: 7)
        let data = try request.load()
        #expect(data.count == 6)
        #expect(data.dimension == 12)
        #expect(data.labels == [4, 4, 4, 9, 9, 9])
    }

    @Test(.enabled(if: DataFixtures.sharedData("mnist/t10k-images-idx3-ubyte.gz") != nil))
    func realMNISTTestSetHasTheKnownClassCounts() throws {
        let dir = try #require(DataFixtures.sharedData("mnist"))
        let set = try MNIST.load(directory: dir)
        #expect(set.count == 10_000)
        #expect(set.images.rows == 28 && set.images.columns == 28)
        #expect(set.classCounts[4] == 982)
        #expect(set.classCounts[9] == 1009)
        let data = try Dataset.classification(from: set, classes: [4, 9], perClass: nil, outputs: 2, seed: 0)
        #expect(data.count == 982 + 1009)
        #expect(data.dimension == 784)
        for i in [0, 500, 1990] {
            let norm = data.inputs.row(i).reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) < 1e-12)
        }
    }
}

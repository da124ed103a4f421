import Foundation
import Testing
import NGD

@Suite struct DataClassSelectionTests {
    @Test func embeddedDigitsHaveTheKnownShapeAndClassCounts() throws {
        let digits = try UCIDigits.embedded()
        #expect(digits.count == 1797)
        #expect(digits.images.pixelsPerImage == 64)
        #expect(digits.classCounts[4] == 181)
        #expect(digits.classCounts[9] == 180)
        #expect(digits.images.pixels.allSatisfy { $0 <= 16 })
        #expect(digits.images.pixels.contains(16))
    }

    @Test(.enabled(if: DataFixtures.sharedData("uci-digits/digits.csv.gz") != nil))
    func embeddedDigitsMatchTheSharedCopy() throws {
        let shared = try UCIDigits.load(atPath: try #require(DataFixtures.sharedData("uci-digits/digits.csv.gz")))
        let embedded = try UCIDigits.embedded()
        #expect(shared.images == embedded.images)
        #expect(shared.labels == embedded.labels)
    }

    @Test func digitsRowsOutOfRangeNameTheLine() throws {
        let row = (Array(repeating: "0", count: 63) + ["17", "4"]).joined(separator: ",")
        let good = (Array(repeating: "1", count: 64) + ["4"]).joined(separator: ",")
        let error = DataFixtures.error {
            _ = try UCIDigits.parse(Data("\(good)\n\(row)\n".utf8), source: "d.csv")
        }
        #expect(error == NGDError("d.csv:2", "pixel 64 is 17, expected 0–16"))
        let short = DataFixtures.error { _ = try UCIDigits.parse(Data("1,2,3\n".utf8), source: "d.csv") }
        #expect(short == NGDError("d.csv:1", "3 cells, expected 65 (64 pixels and a label)"))
    }

    @Test func allOfTwoClassesByDefaultInFileOrderGroupedByClass() throws {
        let digits = try UCIDigits.embedded()
        let data = try Dataset.classification(from: digits, classes: [9, 4], perClass: nil, outputs: 2, seed: 1)
        #expect(data.count == 361)
        #expect(data.labels == Array(repeating: 9, count: 180) + Array(repeating: 4, count: 181))
        let nines = digits.labels.indices.filter { digits.labels[$0] == 9 }
        #expect(data.rowOrigins?.first == "digits.csv.gz (embedded)#\(nines[0])")
    }

    @Test func perClassSelectionIsDeterministicInTheSeed() throws {
        let digits = try UCIDigits.embedded()
        func pick(_ seed: UInt64) throws -> Dataset {
            try Dataset.classification(from: digits, classes: [4, 9], perClass: 10, outputs: 2, seed: seed)
        }
        let a = try pick(3), b = try pick(3), c = try pick(4)
        #expect(a == b)
        #expect(a.count == 20)
        #expect(a.labels == Array(repeating: 4, count: 10) + Array(repeating: 9, count: 10))
        #expect(a.rowOrigins != c.rowOrigins)
        // The chosen images are in file order within each class.
        let indices = try #require(a.rowOrigins).map { Int($0.split(separator: "#").last!)! }
        #expect(Array(indices[0..<10]) == indices[0..<10].sorted())
        #expect(Array(indices[10..<20]) == indices[10..<20].sorted())
    }

    @Test func rowsAreScaledPixelsOnTheUnitSphere() throws {
        let digits = try UCIDigits.embedded()
        let data = try Dataset.classification(from: digits, classes: [4, 9], perClass: 5, outputs: 1, seed: 0)
        for i in 0..<data.count {
            let row = data.inputs.row(i)
            #expect(abs(row.reduce(0) { $0 + $1 * $1 }.squareRoot() - 1) < 1e-14)
            #expect(row.allSatisfy { $0 >= 0 })
        }
        let raw = try Dataset.classification(from: digits, classes: [4, 9], perClass: 5, outputs: 1, normalize: false,
                                             seed: 0)
        #expect(raw.inputs.storage.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(raw.inputs.storage.contains(1))
        let image = Int(raw.rowOrigins![0].split(separator: "#").last!)!
        #expect(raw.inputs[0, 10] == Double(digits.images.pixels[image * 64 + 10]) / 16)
    }

    @Test func binaryTargetsArePlusOneForTheFirstClass() throws {
        let data = try Dataset.classification(from: try UCIDigits.embedded(), classes: [4, 9], perClass: 4, outputs: 1,
                                              seed: 0)
        #expect(data.outputs == 1)
        #expect(data.targets.storage == [1, 1, 1, 1, -1, -1, -1, -1])
    }

    @Test func figureOneTargetsAreOneHotMinusHalfPlusNoise() throws {
        let data = try Dataset.classification(from: try UCIDigits.embedded(), classes: [4, 9], perClass: nil,
                                              outputs: 2, seed: 11)
        #expect(data.targets.rows == 361 && data.targets.columns == 2)
        let labels = try #require(data.labels)
        var sums = [[0.0, 0.0], [0.0, 0.0]]
        var counts = [0, 0]
        var squares = 0.0
        for i in 0..<data.count {
            let k = labels[i] == 4 ? 0 : 1
            counts[k] += 1
            for c in 0..<2 {
                sums[k][c] += data.targets[i, c]
                let centre = (c == k ? 1.0 : 0.0) - 0.5
                squares += (data.targets[i, c] - centre) * (data.targets[i, c] - centre)
            }
        }
        // Means within 4 standard errors (0.3/√180 ≈ 0.022) of ±0.5; noise standard deviation near 0.3.
        #expect(abs(sums[0][0] / Double(counts[0]) - 0.5) < 0.09)
        #expect(abs(sums[0][1] / Double(counts[0]) + 0.5) < 0.09)
        #expect(abs(sums[1][0] / Double(counts[1]) + 0.5) < 0.09)
        #expect(abs(sums[1][1] / Double(counts[1]) - 0.5) < 0.09)
        #expect(abs((squares / Double(2 * data.count)).squareRoot() - 0.3) < 0.03)
    }

    @Test func timesOperatorAndZeroNoiseGiveHalfOneHot() throws {
        let data = try Dataset.classification(from: try UCIDigits.embedded(), classes: [4, 9], perClass: 2, outputs: 2,
                                              seed: 0, targetOperator: .times, targetNoise: 0)
        #expect(data.targets.storage == [0.5, 0, 0.5, 0, 0, 0.5, 0, 0.5])
    }

    @Test func optionErrorsNameTheOption() throws {
        let digits = try UCIDigits.embedded()
        func failure(classes: [Int] = [4, 9], perClass: Int? = nil, outputs: Int = 2) -> NGDError? {
            DataFixtures.error {
                _ = try Dataset.classification(from: digits, classes: classes, perClass: perClass, outputs: outputs, seed: 0)
            }
        }
        #expect(failure(perClass: 182)?.source == "--per-class")
        #expect(failure(perClass: 181)?.message == "asked for 181 examples of class 9, but UCI digits has only 180")
        #expect(failure(perClass: 0)?.source == "--per-class")
        #expect(failure(outputs: 3)?.source == "--outputs")
        #expect(failure(classes: [4])?.source == "--classes")
        #expect(failure(classes: [4, 4])?.source == "--classes")
        #expect(failure(classes: [4, 12])?.source == "--classes")
        let tiny = LabelledImages(name: "tiny", source: "t", images: ByteImages(count: 2, rows: 1, columns: 2,
                                  pixels: [1, 2, 3, 4]), labels: [1, 2], maximumPixelValue: 4)
        let absent = DataFixtures.error {
            _ = try Dataset.classification(from: tiny, classes: [1, 3], perClass: nil, outputs: 2, seed: 0)
        }
        #expect(absent?.source == "--classes")
        #expect(absent?.message.contains("class 3 does not occur") == true)
        #expect(absent?.isUsageError == true)
    }

    @Test func blankImageUnderNormalisationIsAnErrorNamingIt() throws {
        let images = LabelledImages(name: "tiny", source: "imgs", images: ByteImages(count: 3, rows: 1, columns: 2,
                                    pixels: [1, 2, 0, 0, 3, 4]), labels: [4, 9, 9], maximumPixelValue: 4)
        let error = DataFixtures.error {
            _ = try Dataset.classification(from: images, classes: [4, 9], perClass: nil, outputs: 2, seed: 0)
        }
        #expect(error?.source == "imgs")
        #expect(error?.message.contains("image 1 (class 9) is blank") == true)
        let kept = try Dataset.classification(from: images, classes: [4, 9], perClass: nil, outputs: 2,
                                              normalize: false, seed: 0)
        #expect(kept.inputs.row(1) == [0, 0])
    }

    @Test func digitsRequestLoadsThroughDatasetRequest() throws {
        let data = try DatasetRequest(kind: .digits, outputs: 2, perClass: 10, seed: 5).load()
        #expect(data.count == 20)
        #expect(data.dimension == 64)
        #expect(data.name.hasPrefix("UCI digits 4 vs 9"))
    }
}

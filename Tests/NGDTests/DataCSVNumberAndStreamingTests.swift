import Foundation
import Testing
import NGD

/// CSV cells are decimal numbers only, rows at either end of the double range normalise correctly, and a large
/// file is read only as far as it is used.
@Suite struct DataCSVNumberAndStreamingTests {
    private func failure(_ text: String, normalize: Bool = true) throws -> (NGDError?, String) {
        let path = try DataFixtures.write(text, to: try DataFixtures.temporaryDirectory(), as: "bad.csv")
        return (DataFixtures.error { _ = try Dataset.csv(atPath: path, normalize: normalize) }, path)
    }

    @Test(arguments: ["0x10", "2\u{0}abc", "1_000", "1e", "1.2.3", "--1", "+", ".", "1e+", "0x1p3", " 5 x"])
    func nonDecimalCellsAreErrorsNamingLineAndColumn(cell: String) throws {
        let (error, path) = try failure("x,y\n1,1\n\(cell),2\n")
        #expect(error?.source == "\(path):3")
        #expect(error?.message.hasPrefix("column 'x': '") == true)
        #expect(error?.message.contains("is not a number") == true)
    }

    @Test(arguments: ["inf", "-Infinity", "INF", "nan", "NaN", "-nan", "nan(0x7)", "+inf"])
    func nonFiniteSpellingsAreErrors(cell: String) throws {
        let (error, path) = try failure("x,y\n\(cell),1\n")
        #expect(error?.source == "\(path):2")
        #expect(error?.message.hasSuffix("is not finite") == true)
    }

    @Test func decimalOverflowIsAnErrorNotInfinity() throws {
        let (error, _) = try failure("x,y\n1e400,1\n")
        #expect(error?.message.contains("out of the range of a double") == true)
    }

    @Test(arguments: ["1", "-1.5", "+2", ".5", "5.", "2e-3", "1E+5", "007"])
    func decimalCellsAreNumbers(cell: String) throws {
        let path = try DataFixtures.write("x,y\n\(cell),1\n", to: try DataFixtures.temporaryDirectory(), as: "ok.csv")
        let data = try Dataset.csv(atPath: path, normalize: false)
        #expect(data.inputs.storage == [Double(cell)!])
    }

    @Test(arguments: [(1e308, 1e308), (1e-200, 1e-200), (-3e307, 4e307), (3e-320, 4e-320)])
    func extremeRowsAreScaledToUnitNorm(a: Double, b: Double) throws {
        let path = try DataFixtures.write("x1,x2,y\n\(a),\(b),1\n0.6,0.8,2\n", to: try DataFixtures.temporaryDirectory(),
                                          as: "extreme.csv")
        let data = try Dataset.csv(atPath: path)
        let row = Array(data.inputs.storage[0..<2])
        let norm = (row[0] * row[0] + row[1] * row[1]).squareRoot()
        #expect(abs(norm - 1) < 1e-15)
        #expect(row.allSatisfy { $0 != 0 && $0.isFinite })
        #expect(abs(row[0] / row[1] - a / b) < 1e-12 * abs(a / b))
        #expect(data.inputs.storage[2] == 0.6 && data.inputs.storage[3] == 0.8)   // ordinary rows: bits unchanged
    }

    @Test func unnormalisedRowsWhoseSquaredNormLeavesTheDoubleRangeAreRefused() throws {
        let (huge, path) = try failure("x1,x2,y\n1e200,1e200,1\n", normalize: false)
        #expect(huge?.source == "\(path):2")
        #expect(huge?.message.contains("beyond the range of a double") == true)
        let (tiny, _) = try failure("x1,x2,y\n1e-200,1e-200,1\n", normalize: false)
        #expect(tiny?.message.contains("below the range of a double") == true)
    }

    /// A gzip file of concatenated members that inflates to more rows than fit the 1 GiB limit: with a cap of
    /// 10 rows it is read only that far, quickly and without holding the inflated text.
    @Test func gzipWithARowCapIsInflatedOnlyAsFarAsUsed() throws {
        let features = 100
        let header = (1...features).map { "x\($0)," }.joined() + "y\n"
        let row = String(repeating: "0.25,", count: features) + "1\n"   // 502 bytes
        let member = DataFixtures.gzip(Array(String(repeating: row, count: 20_000).utf8))   // 10 MB, ~10 KB packed
        var file = DataFixtures.gzip(Array(header.utf8))
        for _ in 0..<110 { file += member }                                                  // 1.1 GB inflated
        let path = try DataFixtures.write(file, to: try DataFixtures.temporaryDirectory(), as: "big.csv.gz")
        let started = Date()
        let data = try Dataset.csv(atPath: path, limit: 10)
        #expect(data.count == 10)
        #expect(Date().timeIntervalSince(started) < 5)
        var asked: [Int] = []
        let error = DataFixtures.error {
            _ = try Dataset.csv(atPath: path, admit: { shape in
                asked.append(shape.rows)
                if shape.rows > 1000 { throw NGDError(path, "\(shape.rows) rows are too many") }
            })
        }
        // Refused while streaming: either the row count or the inflate limit stops it, never a full inflate into memory.
        #expect(error?.source == path)
        #expect(asked.contains(1024))
    }

    @Test func refusedFileIsCountedToTheEndAndNamedWithItsRows() throws {
        let rows = (0..<5000).map { "\($0 % 7 + 1),\($0 % 3 + 1),0.5" }.joined(separator: "\n")
        let path = try DataFixtures.write("x1,x2,y\n" + rows + "\n\n", to: try DataFixtures.temporaryDirectory(), as: "many.csv")
        var shapes: [CSVShape] = []
        let error = DataFixtures.error {
            _ = try Dataset.csv(atPath: path, admit: { shape in
                shapes.append(shape)
                if shape.rows > 100 { throw NGDError(path, "\(shape.rows) rows") }
            })
        }
        #expect(error == NGDError(path, "5000 rows"))
        #expect(shapes.first == CSVShape(rows: 1, features: 2, targets: 1))
        #expect(shapes.map(\.rows) == [1, 2, 4, 8, 16, 32, 64, 128, 5000])
    }

    @Test func admittedFileIsParsedWhole() throws {
        let path = try DataFixtures.write("x,y\n1,2\n\n3,4\n5,6", to: try DataFixtures.temporaryDirectory(), as: "ok.csv")
        var last: CSVShape?
        let data = try Dataset.csv(atPath: path, normalize: false, admit: { last = $0 })
        #expect(last == CSVShape(rows: 3, features: 1, targets: 1))
        #expect(data.inputs.storage == [1, 3, 5])
        #expect(data.rowOrigins == ["\(path):2", "\(path):4", "\(path):5"])
    }
}

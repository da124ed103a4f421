import Foundation
import Testing
import NGD

@Suite struct DataCSVTests {
    private func load(_ text: String, name: String = "d.csv", limit: Int? = nil,
                      normalize: Bool = true) throws -> (Dataset, String) {
        let path = try DataFixtures.write(text, to: try DataFixtures.temporaryDirectory(), as: name)
        return (try Dataset.csv(atPath: path, limit: limit, normalize: normalize), path)
    }

    private func failure(_ text: String) throws -> (NGDError?, String) {
        let path = try DataFixtures.write(text, to: try DataFixtures.temporaryDirectory(), as: "bad.csv")
        return (DataFixtures.error { _ = try Dataset.csv(atPath: path) }, path)
    }

    @Test func featuresTargetsAndLabelsComeFromTheHeader() throws {
        let (data, path) = try load("a, y2 ,b,label,Y1\n3,20,4,7,10\n\n0,21,2,1,11\n")
        #expect(data.count == 2 && data.dimension == 2 && data.outputs == 2)
        #expect(data.inputs.storage == [0.6, 0.8, 0, 1])
        #expect(data.targets.storage == [10, 20, 11, 21])
        #expect(data.labels == [7, 1])
        #expect(data.rowOrigins == ["\(path):2", "\(path):4"])
    }

    @Test func gzippedCRLFFileWithoutNormalisation() throws {
        let text = "x1,x2,y\r\n3,4,1\r\n6,8,2\r\n"
        let path = try DataFixtures.write(DataFixtures.gzip(Array(text.utf8)), to: try DataFixtures.temporaryDirectory(),
                                          as: "d.csv.gz")
        let data = try Dataset.csv(atPath: path, normalize: false)
        #expect(data.inputs.storage == [3, 4, 6, 8])
        #expect(data.targets.storage == [1, 2])
    }

    @Test func countCapsTheRows() throws {
        let (data, _) = try load("x,y\n1,1\n2,2\n3,3\n", limit: 2, normalize: false)
        #expect(data.inputs.storage == [1, 2])
    }

    @Test func raggedRowNamesItsLine() throws {
        let (error, path) = try failure("x1,x2,y\n1,2,3\n4,5\n")
        #expect(error == NGDError("\(path):3", "2 cells, but the header has 3 columns"))
    }

    @Test func nonNumericCellNamesLineAndColumn() throws {
        let (error, path) = try failure("x1,x2,y\n1,2,3\n\n4,abc,6\n")
        #expect(error == NGDError("\(path):4", "column 'x2': 'abc' is not a number (expected decimal notation such as -1.5 or 2e-3)"))
    }

    @Test func nanAndInfinityAreRejected() throws {
        let (nan, path) = try failure("x,y\n1,NaN\n")
        #expect(nan == NGDError("\(path):2", "column 'y': NaN is not finite"))
        let (inf, _) = try failure("x,y\n1,2\ninf,3\n")
        #expect(inf?.source.hasSuffix(":3") == true)
    }

    @Test func zeroRowIsAnErrorOnlyWhenNormalising() throws {
        let (error, path) = try failure("a,b,y\n1,0,1\n0,0,2\n")
        #expect(error?.source == "\(path):3")
        #expect(error?.message.contains("--no-normalize") == true)
        let (kept, _) = try load("a,b,y\n1,0,1\n0,0,2\n", normalize: false)
        #expect(kept.inputs.row(1) == [0, 0])
    }

    @Test func headerProblemsAreNamed() throws {
        #expect(try failure("").0?.message.hasPrefix("the file is empty") == true)
        #expect(try failure("\n  \n").0?.message.hasPrefix("the file is empty") == true)
        #expect(try failure("1,2,3\n4,5,6\n").0?.message.hasPrefix("missing header") == true)
        #expect(try failure("a,b\n1,2\n").0?.message.hasPrefix("no target column") == true)
        #expect(try failure("y,label\n1,2\n").0?.message.hasPrefix("no feature column") == true)
        #expect(try failure("a,y1,y3\n1,2,3\n").0?.message.hasPrefix("target columns must be y1…y2") == true)
        #expect(try failure("a,y,y1\n1,2,3\n").0?.message.contains("not both") == true)
        #expect(try failure("a,a,y\n1,2,3\n").0?.message == "column 'a' appears twice")
        let (noRows, path) = try failure("a,y\n")
        #expect(noRows == NGDError(path, "the header is not followed by any data rows"))
        #expect(try failure("a,y\n").0?.source.hasSuffix(".csv") == true)
    }

    @Test func exactDuplicateRowsAreAWarningWithLineNumbers() throws {
        let (data, path) = try load("a,b,y\n1,2,0\n3,1,0\n2,4,5\n7,7,1\n")
        #expect(data.duplicateRowPairs().map { [$0.first, $0.second] } == [[0, 2]])
        let warnings = data.warnings()
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("\(path):2 = \(path):4") == true)
        #expect(warnings.first?.contains("λ₀ = 0") == true)
        let (distinct, _) = try load("a,b,y\n1,2,0\n3,1,0\n", normalize: false)
        #expect(distinct.warnings().isEmpty)
    }

    @Test func requestReadsCSVFromItsPath() throws {
        let path = try DataFixtures.write("a,b,y\n1,2,0\n3,1,0\n", to: try DataFixtures.temporaryDirectory(), as: "r.csv")
        let data = try DatasetRequest(kind: .csv, count: 1, path: path).load()
        #expect(data.count == 1)
        let missing = DataFixtures.error { _ = try DatasetRequest(kind: .csv, path: path + ".missing").load() }
        #expect(missing == NGDError(path + ".missing", "no such file"))
    }
}

import Foundation

/// Writes a problem in the numpy peer's exchange format (benchmarks/peers/README.md): a directory with
/// `meta.json` and X.bin, Y.bin, W.bin, A.bin — raw little-endian float64, row-major, no header.
public enum PeerExchangeFormat {
    /// The file that describes a dump, written first: it vouches that the .bin files beside it are ngd's.
    public static let metaFile = "meta.json"
    /// What the first line of every `meta.json` of this format holds (ngd's and the peer's alike).
    public static let formatSignature = "\"format\": \"f64le-rowmajor\""

    /// Writes X (n×d), Y (n×k), W (m×d), A (m×k) and meta.json into `directory` (created if missing).
    public static func write(inputs: Matrix, targets: Matrix, parameters: NetworkParameters, learningRate: Double,
                             seed: UInt64?, to directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw NGDError(directory, "cannot create the dump directory (\(error.localizedDescription))")
        }
        let seedText = seed.map { String($0) } ?? "null"
        // Keys sorted, as the peer writes them; lr in Swift's shortest round-trip form.
        let meta = "{\"d\": \(inputs.columns), \(formatSignature), \"k\": \(targets.columns), "
            + "\"lr\": \(learningRate), \"m\": \(parameters.hiddenWeights.rows), \"n\": \(inputs.rows), "
            + "\"seed\": \(seedText)}\n"
        try writeFile(Data(meta.utf8), to: directory + "/" + metaFile)
        for (name, matrix) in [("X", inputs), ("Y", targets), ("W", parameters.hiddenWeights),
                               ("A", parameters.outputWeights)] {
            try writeFile(littleEndianBytes(of: matrix.storage), to: directory + "/\(name).bin")
        }
    }

    static func littleEndianBytes(of values: [Double]) -> Data {
        var data = Data(count: values.count * 8)
        data.withUnsafeMutableBytes { raw in
            for (t, v) in values.enumerated() {
                raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: 8 * t, as: UInt64.self)
            }
        }
        return data
    }

    static func writeFile(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw NGDError(path, "cannot write (\(error.localizedDescription))")
        }
    }
}

import Foundation

extension PeerExchangeFormat {
    /// Writes a deep network's problem (docs/DEEP.md): X (n×d), Y (n×k), W1.bin (m×d), W2.bin … WL.bin (m×m),
    /// A (m×k) and meta.json with the two-layer keys plus `depth` and `kfac_damping` (the λ of the K-FAC step
    /// the peer must reproduce). Created if missing.
    public static func write(inputs: Matrix, targets: Matrix, hiddenWeights: [Matrix], outputWeights: Matrix,
                             learningRate: Double, seed: UInt64?, kfacDamping: Double, to directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw NGDError(directory, "cannot create the dump directory (\(error.localizedDescription))")
        }
        var files = [("X", inputs), ("Y", targets), ("A", outputWeights)]
        for (l, w) in hiddenWeights.enumerated() { files.append(("W\(l + 1)", w)) }
        for (name, matrix) in files {
            try writeFile(littleEndianBytes(of: matrix.storage), to: directory + "/\(name).bin")
        }
        let seedText = seed.map { String($0) } ?? "null"
        // Keys sorted, as the peer writes them; numbers in Swift's shortest round-trip form.
        let meta = "{\"d\": \(inputs.columns), \"depth\": \(hiddenWeights.count), \"format\": \"f64le-rowmajor\", "
            + "\"k\": \(targets.columns), \"kfac_damping\": \(kfacDamping), \"lr\": \(learningRate), "
            + "\"m\": \(outputWeights.rows), \"n\": \(inputs.rows), \"seed\": \(seedText)}\n"
        try writeFile(Data(meta.utf8), to: directory + "/meta.json")
    }

    /// The file names a depth-L dump writes (for the bench's location checks).
    public static func fileNames(depth: Int) -> [String] {
        ["X.bin", "Y.bin", "A.bin"] + (1...max(depth, 1)).map { "W\($0).bin" } + ["meta.json"]
    }
}

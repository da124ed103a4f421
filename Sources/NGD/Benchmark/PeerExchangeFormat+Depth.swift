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
        let seedText = seed.map { String($0) } ?? "null"
        // Keys sorted, as the peer writes them; numbers in Swift's shortest round-trip form.
        let meta = "{\"d\": \(inputs.columns), \"depth\": \(hiddenWeights.count), \(formatSignature), "
            + "\"k\": \(targets.columns), \"kfac_damping\": \(kfacDamping), \"lr\": \(learningRate), "
            + "\"m\": \(outputWeights.rows), \"n\": \(inputs.rows), \"seed\": \(seedText)}\n"
        try writeFile(Data(meta.utf8), to: directory + "/" + metaFile)
        var files = [("X", inputs), ("Y", targets), ("A", outputWeights)]
        for (l, w) in hiddenWeights.enumerated() { files.append(("W\(l + 1)", w)) }
        for (name, matrix) in files {
            try writeFile(littleEndianBytes(of: matrix.storage), to: directory + "/\(name).bin")
        }
    }

    /// The file names a dump writes (for the bench's location checks): W.bin for the two-layer network
    /// (`depth` 1), W1.bin … WL.bin for a deep one.
    public static func fileNames(depth: Int) -> [String] {
        let weights = depth <= 1 ? ["W.bin"] : (1...depth).map { "W\($0).bin" }
        return ["X.bin", "Y.bin", "A.bin"] + weights + [metaFile]
    }
}

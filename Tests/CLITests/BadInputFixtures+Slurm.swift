import Foundation

extension BadInputFixtures {
    /// Fixtures for Corpus/slurm.txt: a small spec, and a stand-in `sbatch` (in slurm-bin/) that the refused
    /// cases must never reach: if it ran, it would leave a file behind and the corpus check would fail.
    static func writeSlurmFixtures(into directory: URL) throws {
        try file("spec-slurm.yaml", """
            title: t
            datasets:
              s: {kind: synthetic, n: 4, d: 3, outputs: 1}
            models:
              m: {width: 8}
            optimizers:
              o: {kind: ngd, lr: 0.5}
            runs:
              - {id: r, dataset: s, model: m, optimizer: o, steps: 2}
              - {id: q, dataset: s, model: m, optimizer: o, steps: 3}

            """, in: directory)
        let sbatch = directory.appendingPathComponent("slurm-bin/sbatch")
        try file("slurm-bin/sbatch", "#!/bin/sh\ntouch \"$(dirname \"$0\")/sbatch-was-called\"\necho 1\n", in: directory)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: sbatch.path)
        // A directory ngd did not make, where --slurm-dir must not write.
        try file("slurm-foreign/notes.txt", "mine\n", in: directory)
    }
}

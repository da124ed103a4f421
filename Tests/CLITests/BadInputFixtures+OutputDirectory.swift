import Foundation

extension BadInputFixtures {
    /// Fixtures for Corpus/output-directories.txt: a small spec and CSV, and the user's own files beside and inside
    /// every output the corpus tries (the harness checks that none of them changed).
    static func writeOutputDirectoryFixtures(into directory: URL) throws {
        let fileManager = FileManager.default
        func link(_ name: String, to target: String) throws {
            let url = directory.appendingPathComponent(name)
            try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fileManager.createSymbolicLink(atPath: url.path, withDestinationPath: target)
        }
        let spec = minimalSpec()
        try file("od-spec.yaml", spec, in: directory)
        // A spec named `..yaml`: its default output would be `out/.`, i.e. out/ with the other reports in it.
        try file("..yaml", spec, in: directory)
        try file("out/other-report/notes.txt", "another report's notes\n", in: directory)
        try file("od-data.csv", "y,a,b\n1,0.5,0.2\n-1,0.1,0.9\n0.5,0.3,0.3\n", in: directory)
        try link("od-data-link.csv", to: "od-data.csv")

        // The user's own directory, a plain file, and a link to a directory holding the user's files.
        try file("mydir/thesis.tex", "\\documentclass{article}\n", in: directory)
        try file("mydir/notes.md", "notes\n", in: directory)
        try file("somefile.txt", "not a report\n", in: directory)
        try file("victim/keep.txt", "keep me\n", in: directory)
        try link("link", to: "victim")
        try link("file-link.json", to: "victim/keep.txt")

        // A project whose spec reads a CSV beside it (run from inside it with --out ../project).
        try file("project/spec.yaml", spec.replacingOccurrences(of: "{kind: synthetic, n: 8, d: 4}",
                                                                with: "{kind: csv, path: data.csv}"), in: directory)
        try file("project/data.csv", "y,a,b\n1,0.5,0.2\n-1,0.1,0.9\n", in: directory)
        // Another shard's cache, read with --cache, inside the directory given as --out.
        try file("shards/runs/keep.json", "{}\n", in: directory)
        try file("shards/README", "shard results\n", in: directory)
        // An MNIST directory inside the directory given to `ngd paper --out`.
        try file("paperdir/mnist/README", "mnist files go here\n", in: directory)

        // Old ngd reports (a manifest written by ngd listing report.html) with something ngd did not write.
        let manifest = "{\"files\": {\"report.html\": \"0\"}, \"tool\": \"ngd\"}\n"
        try file("oldreport/manifest.json", manifest, in: directory)
        try file("oldreport/report.html", "<html></html>\n", in: directory)
        try file("oldreport/figures/notes.txt", "my notes\n", in: directory)
        try file("linkreport/manifest.json", manifest, in: directory)
        try file("linkreport/report.html", "<html></html>\n", in: directory)
        try link("linkreport/figures/extra", to: "../../victim")

        // Siblings ngd uses, planted: links at .r.staging, .r.staging/runs and .r.previous; a foreign file in
        // a staging directory.
        try file("staged/README", "a directory with a planted staging link\n", in: directory)
        try link("staged/.r.staging", to: "../victim")
        try file("staged-runs/.r.staging/report.html", "<html></html>\n", in: directory)
        try link("staged-runs/.r.staging/runs", to: "../../victim")
        try file("staged-foreign/.r.staging/thesis.tex", "\\documentclass{article}\n", in: directory)
        try file("retired/README", "a directory with a planted .previous link\n", in: directory)
        try link("retired/.r.previous", to: "../victim")

        // Folders named as `bench --dump-dir` names a size's, holding the user's data: one without a meta.json,
        // one whose meta.json is the user's, one with a deep run's names (W1.bin) and no meta.json.
        try file("dumps/n4-d3-m8/X.bin", "my own X\n", in: directory)
        try file("dumps-meta/n4-d3-m8/meta.json", "{\"d\": 3, \"mine\": true}\n", in: directory)
        try file("dumps-meta/n4-d3-m8/W.bin", "my own W\n", in: directory)
        try file("dumps-deep/n4-d3-m8/W1.bin", "my own W1\n", in: directory)

        // A figure's sidecar CSV that is the user's, and one that is a link.
        try file("results.csv", "my,own,results\n1,2,3\n", in: directory)
        try link("linked-figure.csv", to: "victim/keep.txt")
    }
}

import Foundation

/// Locating and reading LeCun's MNIST files (IDX format, gzipped or not) in a directory.
public enum MNIST {
    /// The environment variable naming the MNIST directory when no path is given.
    public static let directoryVariable = "NGD_MNIST_DIR"

    /// The images and labels files of one split in a directory.
    public struct Files: Sendable, Equatable {
        /// "train" or "t10k".
        public var split: String
        public var images: String
        public var labels: String
    }

    /// Which files to read in `directory`.
    ///
    /// The training split (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`) is preferred when its images
    /// file is present, because the paper's experiments train on training data; otherwise the test split
    /// (`t10k-…`) is used. Each name may carry a `.gz` suffix; an uncompressed file wins over its `.gz`.
    /// A split with an images file but no labels file is an error, never a silent fallback.
    public static func files(in directory: String) throws -> Files {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw NGDError(directory, "MNIST directory does not exist")
        }
        guard isDirectory.boolValue else { throw NGDError(directory, "expected the MNIST directory, found a file") }
        func existing(_ stem: String) -> String? {
            let base = URL(fileURLWithPath: directory).appendingPathComponent(stem).path
            return [base, base + ".gz"].first { FileManager.default.fileExists(atPath: $0) }
        }
        for split in ["train", "t10k"] {
            guard let images = existing("\(split)-images-idx3-ubyte") else { continue }
            guard let labels = existing("\(split)-labels-idx1-ubyte") else {
                throw NGDError(directory, "found \(URL(fileURLWithPath: images).lastPathComponent) but no "
                                        + "\(split)-labels-idx1-ubyte[.gz] next to it")
            }
            return Files(split: split, images: images, labels: labels)
        }
        throw NGDError(directory, "no MNIST files: expected train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz], "
                                + "or t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]")
    }

    /// The directory to read: `path` when given, else $NGD_MNIST_DIR; an error saying how to pass it otherwise.
    public static func directory(_ path: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> String {
        if let path, !path.isEmpty { return path }
        if let path = environment[directoryVariable], !path.isEmpty { return path }
        throw NGDError("--mnist-dir", "MNIST needs the directory holding its IDX files: pass --mnist-dir DIR or set "
                                    + "\(directoryVariable)=DIR", usage: true)
    }

    /// The labelled images of the preferred split in `directory` (see `files(in:)`).
    public static func load(directory: String) throws -> LabelledImages {
        let files = try files(in: directory)
        let images = try IDXFile.readImages(atPath: files.images)
        let labels = try IDXFile.readLabels(atPath: files.labels)
        guard images.count == labels.count else {
            throw NGDError(files.labels, "has \(labels.count) labels but \(files.images) has \(images.count) images")
        }
        if let bad = labels.firstIndex(where: { $0 > 9 }) {
            throw NGDError(files.labels, "label \(labels[bad]) at index \(bad) is not a digit 0–9")
        }
        return LabelledImages(name: "MNIST \(files.split)", source: files.images, images: images,
                              labels: labels.map(Int.init), maximumPixelValue: 255)
    }
}

/// Class-labelled grey images before any selection or scaling: MNIST (0–255) or the UCI digits (0–16).
public struct LabelledImages: Sendable, Equatable {
    /// A short name for reports, e.g. "MNIST t10k" or "UCI digits".
    public var name: String
    /// Where the images came from (file or directory); used as the source of errors about them.
    public var source: String
    public var images: ByteImages
    /// One class label (0–9) per image.
    public var labels: [Int]
    /// The largest possible pixel value (255 for MNIST, 16 for the digits); pixels are divided by it.
    public var maximumPixelValue: Double

    public init(name: String, source: String, images: ByteImages, labels: [Int], maximumPixelValue: Double) {
        self.name = name
        self.source = source
        self.images = images
        self.labels = labels
        self.maximumPixelValue = maximumPixelValue
    }

    public var count: Int { images.count }

    /// How many images carry each label, indexed by label (labels are 0–9, so 10 entries).
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: 10)
        for label in labels where (0..<10).contains(label) { counts[label] += 1 }
        return counts
    }
}

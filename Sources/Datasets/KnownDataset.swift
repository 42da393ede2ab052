// The datasets known by name, with their published checksums and download mirrors.
// Sources: MNIST — LeCun, Cortes, Burges, http://yann.lecun.com/exdb/mnist/ (checksums in
// data/mnist/README.md); Fashion-MNIST — Xiao, Rasul, Vollgraf (2017),
// https://github.com/zalandoresearch/fashion-mnist (MD5s in its README; SHA-256 of the .gz as
// published by TFDS and Keras; SHA-256 of the decompressed files as published by loaders that
// check them, and equal to those of Debian's dataset-fashion-mnist).

/// One file of a known dataset.
public struct KnownFile: Sendable, Equatable {
    /// The IDX file name without `.gz`, e.g. "train-images-idx3-ubyte".
    public let name: String
    /// SHA-256 of the decompressed IDX bytes (what loading verifies).
    public let contentSHA256: String
    /// SHA-256 of the published .gz (what a download should match byte for byte).
    public let gzipSHA256: String
}

/// A dataset known by name: its four IDX files, checksums, classes, mirrors and constants.
public struct KnownDataset: Sendable, Equatable {
    /// The name used in `dataset.name` and on the command line.
    public let name: String
    /// Train images, train labels, test images, test labels, in that order.
    public let files: [KnownFile]
    /// The number of classes m (labels are 0..<m).
    public let classCount: Int
    /// Base URLs to download `<name>.gz` from, tried in order.
    public let mirrors: [String]
    /// Extra directories searched after the SPEC.md order (e.g. a Debian package's).
    public let systemDirectories: [String]
    /// Published (mean, std) of the training pixels in [0, 1] used by `standardize`, or nil to
    /// compute them from the training set.
    public let standardization: (mean: Double, std: Double)?

    public static func == (a: KnownDataset, b: KnownDataset) -> Bool { a.name == b.name && a.files == b.files }

    /// The known file named `name` (without .gz), if any.
    public func file(named name: String) -> KnownFile? { files.first { $0.name == name } }

    /// MNIST: 60,000 + 10,000 digits, 28×28, 10 classes; standardize with 0.1307 / 0.3081.
    public static let mnist = KnownDataset(
        name: "mnist",
        files: [
            KnownFile(name: "train-images-idx3-ubyte",
                      contentSHA256: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                      gzipSHA256: "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
            KnownFile(name: "train-labels-idx1-ubyte",
                      contentSHA256: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                      gzipSHA256: "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
            KnownFile(name: "t10k-images-idx3-ubyte",
                      contentSHA256: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                      gzipSHA256: "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
            KnownFile(name: "t10k-labels-idx1-ubyte",
                      contentSHA256: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
                      gzipSHA256: "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
        ],
        classCount: 10,
        mirrors: ["https://ossci-datasets.s3.amazonaws.com/mnist/"],
        systemDirectories: [],
        standardization: (0.1307, 0.3081))

    /// Fashion-MNIST: 60,000 + 10,000 Zalando article images, 28×28, 10 classes; standardize
    /// with the training set's own mean and std (computed on load and recorded).
    public static let fashionMNIST = KnownDataset(
        name: "fashion-mnist",
        files: [
            KnownFile(name: "train-images-idx3-ubyte",
                      contentSHA256: "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                      gzipSHA256: "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
            KnownFile(name: "train-labels-idx1-ubyte",
                      contentSHA256: "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                      gzipSHA256: "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
            KnownFile(name: "t10k-images-idx3-ubyte",
                      contentSHA256: "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                      gzipSHA256: "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
            KnownFile(name: "t10k-labels-idx1-ubyte",
                      contentSHA256: "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
                      gzipSHA256: "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
        ],
        classCount: 10,
        mirrors: ["https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
                  "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"],
        systemDirectories: ["/usr/share/datasets/fashion-mnist"],
        standardization: nil)

    /// Every dataset known by name.
    public static let all: [KnownDataset] = [.mnist, .fashionMNIST]

    /// The known dataset called `name`, or nil.
    public static func named(_ name: String) -> KnownDataset? { all.first { $0.name == name } }
}

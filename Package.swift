// swift-tools-version:6.0
// The package map follows docs/ARCHITECTURE.md: arrows point one way only.
import PackageDescription

/// A library target of the project; each has a README.md saying what it holds and may import.
func module(_ name: String, _ dependencies: [Target.Dependency] = []) -> Target {
    .target(name: name, dependencies: dependencies, exclude: ["README.md"])
}

let package = Package(
    name: "exp",
    products: [
        .executable(name: "exp", targets: ["exp"]),
        // A user's package depends on ExpCLI to build its own `exp` with extra plugins.
        .library(name: "ExpCLI", targets: ["ExpCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        // System libraries: module map + a C shim header each; one Swift importer each.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        // Direct convolution kernels (C, AVX2+FMA with runtime dispatch); imported by Tensor only.
        .target(name: "CKernels", exclude: ["README.md"]),
        // syncfs(2) and renameat2(2) RENAME_EXCHANGE, which Glibc's Swift module lacks; imported by Experiments only.
        .target(name: "CFileSystem", exclude: ["README.md"]),
        module("Tensor", ["CBLAS", "CKernels", .product(name: "RealModule", package: "swift-numerics")]),
        module("Layers", ["Tensor"]),
        module("Model", ["Layers"]),
        module("Training", ["Model", .product(name: "RealModule", package: "swift-numerics")]),
        module("Datasets", ["Tensor", "CZlib", "CCrypto"]),
        module("HDF5", ["CHDF5"]),
        module("PNG", ["CPNG"]),
        module("Charts"),
        module("Experiments", ["Training", "Datasets", "HDF5", "PNG", "CFileSystem"]),
        module("Report", ["Experiments", "HDF5", "PNG", "Charts"]),
        module("ExpCLI", ["Experiments", "Report", "Datasets",
                          .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "exp", dependencies: ["ExpCLI"]),

        // Shared test helpers (assertClose, gradient checks, naive oracles, fixtures).
        .target(name: "TestSupport", dependencies: ["Layers", "HDF5"], path: "Tests/TestSupport"),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "TestSupport"]),
        .testTarget(name: "LayersTests", dependencies: ["Layers", "TestSupport"]),
        // Training: the PyTorch agreement tests run SGD trajectories.
        .testTarget(name: "ModelTests", dependencies: ["Model", "Training", "TestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "TestSupport"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "TestSupport"]),
        .testTarget(name: "HDF5Tests", dependencies: ["HDF5", "TestSupport"]),
        .testTarget(name: "PNGTests", dependencies: ["PNG", "TestSupport"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "TestSupport"]),
        .testTarget(name: "ExpCLITests", dependencies: ["ExpCLI", "TestSupport"]),
        .testTarget(name: "ChartsTests", dependencies: ["Charts", "TestSupport"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Experiments", "HDF5", "PNG", "ExpCLI", "TestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)

// swift-tools-version:6.0
// A user's own `exp` with an extra plugin: depends on the ExpCLI product of the exp package
// and registers ConfusionMatrixPlugin with `Exp.main(plugins:)`.
import PackageDescription

let package = Package(
    name: "exp-confusion",
    dependencies: [.package(name: "exp", path: "../..")],
    targets: [
        .executableTarget(name: "exp-confusion", dependencies: [.product(name: "ExpCLI", package: "exp")]),
    ],
    swiftLanguageModes: [.v5]
)

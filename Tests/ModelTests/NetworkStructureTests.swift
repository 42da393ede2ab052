import Layers
import Model
import Tensor
import XCTest

/// The presets against the paper's Table 1 / Table 2 and SPEC.md's parameter names.
final class NetworkStructureTests: XCTestCase {
    func network(_ bn: ModelConfiguration.BatchNormPlacement) throws -> Network<Float> {
        var c = ModelConfiguration()
        c.batchNorm = bn
        return try Network<Float>(c)
    }

    func testParameterCountsMatchTheTables() throws {
        XCTAssertEqual(try network(.after).parameterCount, 44_878)
        XCTAssertEqual(try network(.before).parameterCount, 44_878)
        XCTAssertEqual(try network(.none).parameterCount, 44_426)
        XCTAssertEqual(NetworkSummary(try network(.after)).totalParameters, 44_878)
    }

    func testTableOneShapesAndTypes() throws {
        let net = try network(.after)
        XCTAssertEqual(net.depth, 16)
        let expected: [(LayerType, [Int])] = [
            (.conv, [6, 24, 24]), (.relu, [6, 24, 24]), (.batch_norm, [6, 24, 24]), (.maxpool, [6, 12, 12]),
            (.conv, [16, 8, 8]), (.relu, [16, 8, 8]), (.batch_norm, [16, 8, 8]), (.maxpool, [16, 4, 4]),
            (.flatten, [256]), (.fc, [120]), (.relu, [120]), (.batch_norm, [120]),
            (.fc, [84]), (.relu, [84]), (.batch_norm, [84]), (.fc, [10]),
        ]
        XCTAssertEqual(net.shapes[0], [1, 28, 28])
        for (i, (type, shape)) in expected.enumerated() {
            XCTAssertEqual(net.layers[i].type, type, "layer \(i + 1)")
            XCTAssertEqual(net.shapes[i + 1], shape, "A_\(i + 1)")
        }
    }

    func testParameterNamesFollowSpec() throws {
        func prefixes(_ net: Network<Float>) -> [String] {
            var seen: [String] = []
            for name in net.parameterNames {
                let p = String(name.split(separator: ".")[0])
                if seen.last != p { seen.append(p) }
            }
            return seen
        }
        XCTAssertEqual(prefixes(try network(.after)), ["P0", "P2", "P4", "P6", "P9", "P11", "P12", "P14", "P15"])
        XCTAssertEqual(prefixes(try network(.before)), ["P0", "P1", "P4", "P5", "P9", "P10", "P12", "P13", "P15"])
        XCTAssertEqual(prefixes(try network(.none)), ["P0", "P3", "P7", "P9", "P11"])
        let net = try network(.after)
        XCTAssertEqual(try net.tensor(named: "P0.w").shape, [6, 1, 5, 5])
        XCTAssertEqual(try net.tensor(named: "P9.w").shape, [256, 120])
        XCTAssertEqual(try net.tensor(named: "P15.b").shape, [10])
        XCTAssertEqual(net.bufferNames.first, "P2.running_mean")
        XCTAssertThrowsError(try net.tensor(named: "P1.w"))
    }

    func testResidualPresetAddsBlocksAndShortcuts() throws {
        var c = ModelConfiguration()
        c.architecture = .lenet5Residual
        c.residual = true
        c.blocksPerStage = 2
        let net = try Network<Float>(c)
        // Each block: conv3 (d·d·9 + d) + BN (2d); d = 6 then 16, two blocks per stage.
        let extra = 2 * (6 * 6 * 9 + 6 + 12) + 2 * (16 * 16 * 9 + 16 + 32)
        XCTAssertEqual(net.parameterCount, 44_878 + extra)
        XCTAssertEqual(net.shortcuts.count, 4)
        XCTAssertEqual(net.shortcuts[8]?.source, 4)   // A_8 = F(A_4) + A_4
        XCTAssertTrue(net.projections.isEmpty)
        c.residual = false
        let plain = try Network<Float>(c)
        XCTAssertEqual(plain.parameterCount, net.parameterCount)
        XCTAssertTrue(plain.shortcuts.isEmpty)
        XCTAssertEqual(plain.depth, net.depth - 4)
    }

    func testProjectionShortcutsAreNamedS() throws {
        var c = ModelConfiguration()
        c.architecture = .layers
        c.layers = [
            .conv(outputChannels: 4, kernelSize: 3, stride: 1, padding: 1), .activation(nil),   // A1, A2
            .conv(outputChannels: 8, kernelSize: 3, stride: 2, padding: 1), .activation(nil),   // A3, A4
            .shortcut(span: 2),                                                               // A5 = A4 + S(A2)
            .flatten, .fullyConnected(outputFeatures: 12), .activation(nil),
            .fullyConnected(outputFeatures: 10), .shortcut(span: 2),                          // A10 = A9 + S(A7)
        ]
        let net = try Network<Double>(c, inputShape: [1, 8, 8])
        XCTAssertEqual(net.projections.count, 2)
        XCTAssertTrue(net.parameterNames.contains("S2.w"))
        XCTAssertEqual(try net.tensor(named: "S2.w").shape, [8, 4, 1, 1])
        XCTAssertEqual(try net.tensor(named: "S7.w").shape, [12, 10])
    }

    func testBadLayerListsThrow() {
        var c = ModelConfiguration()
        c.architecture = .layers
        c.layers = [.fullyConnected(outputFeatures: 10)]
        XCTAssertThrowsError(try Network<Float>(c))      // fc on image data without flatten
        c.layers = [.conv(outputChannels: 2, kernelSize: 5)]
        XCTAssertThrowsError(try Network<Float>(c, inputShape: [1, 3, 3]))
        c.layers = [.shortcut(span: 1)]
        XCTAssertThrowsError(try Network<Float>(c))
    }

    /// Layers each within the per-layer limit but together above the network's: refused at the
    /// layer that crosses it, before the layers after it are allocated (a list of 42 such layers
    /// asked for ~8 GB and crashed the planner, even with --dry-run).
    func testTheWholeNetworkIsBounded() {
        var c = ModelConfiguration()
        c.architecture = .layers
        c.layers = [.flatten] + Array(repeating: .fullyConnected(outputFeatures: 7000), count: 41) + [.fullyConnected(outputFeatures: 10)]
        XCTAssertThrowsError(try Network<Float>(c, inputShape: [1, 28, 28])) { error in
            // 784·7000 + 2 · (7000·7000) ≈ 103.5 M parameters with the biases: layer 4 crosses 100 M.
            XCTAssertEqual("\(error)", "layer 4: the network holds more than 100000000 parameters in total up to this layer")
        }
        c.layers = [.flatten, .fullyConnected(outputFeatures: 7000), .fullyConnected(outputFeatures: 7000), .fullyConnected(outputFeatures: 10)]
        XCTAssertEqual(try Network<Float>(c, inputShape: [1, 28, 28]).parameterCount, 784 * 7000 + 7000 + 7000 * 7000 + 7000 + 7000 * 10 + 10)
    }

    /// A shortcut's projection is sized before it is allocated: one above the per-layer limit
    /// (3,211,264 → 65,536 features: 210 billion weights, which aborted allocating 842 GB) and one
    /// that would take the network over its total are refused at the shortcut's layer.
    func testProjectionShortcutsAreBoundedBeforeAllocation() {
        var c = ModelConfiguration()
        c.architecture = .layers
        c.layers = [.conv(outputChannels: 4096, kernelSize: 1), .flatten, .fullyConnected(outputFeatures: 15),
                    .fullyConnected(outputFeatures: 65536), .shortcut(span: 2)]
        XCTAssertThrowsError(try Network<Float>(c, inputShape: [1, 28, 28])) { error in
            XCTAssertEqual("\(error)", "layer 5: the projection shortcut [3211264] → [65536] has more than 50000000 weights")
        }
        // 784·7000 + 7000 + 7000·7000 + 7000 = 54.5 M, then a projection of 784·7000 = 5.5 M fits,
        // but from A_1 (784 features) to 7000 after a second 7000·7000 layer (103.5 M) does not.
        c.layers = [.flatten, .fullyConnected(outputFeatures: 7000), .fullyConnected(outputFeatures: 7000), .shortcut(span: 2)]
        XCTAssertEqual(try Network<Float>(c, inputShape: [1, 28, 28]).parameterCount, 2 * (784 * 7000 + 7000) + 7000 * 7000 + 7000)
        c.layers = [.flatten, .fullyConnected(outputFeatures: 6000), .fullyConnected(outputFeatures: 7000),
                    .fullyConnected(outputFeatures: 7000), .shortcut(span: 3)]
        XCTAssertThrowsError(try Network<Float>(c, inputShape: [1, 28, 28])) { error in
            XCTAssertEqual("\(error)", "layer 5: the network holds more than 100000000 parameters in total up to this layer")
        }
    }

    func testInitializationIsSeededAndFollowsTheScheme() throws {
        var a = try network(.after), b = try network(.after), other = try network(.after)
        a.initialize(seed: 3)
        b.initialize(seed: 3)
        other.initialize(seed: 4)
        XCTAssertEqual(a.parameters, b.parameters)
        XCTAssertNotEqual(a.parameters, other.parameters)
        let w0 = try a.tensor(named: "P0.w")
        let bound = Float(1 / 5.0)   // 1/√fan_in, fan_in = 1·5·5
        XCTAssertTrue(w0.scalars.allSatisfy { abs($0) <= bound })
        XCTAssertGreaterThan(w0.maxAbs, bound * 0.8)
        XCTAssertEqual(try a.tensor(named: "P2.w").scalars, Array(repeating: 1, count: 6))
        XCTAssertEqual(try a.tensor(named: "P2.b").scalars, Array(repeating: 0, count: 6))
        // Float and Double networks start from the same values, up to rounding.
        var d = try Network<Double>(a.configuration)
        d.initialize(seed: 3)
        XCTAssertEqual(try d.tensor(named: "P9.w").converted(to: Float.self), try a.tensor(named: "P9.w"))
    }
}

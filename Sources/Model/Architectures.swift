// The preset networks as layer lists.
//
// Source: Boué (arXiv:1811.11987), Table 1 (lenet5, BN after the activation); the residual
// variant follows the paper's §2 side note on shortcut connections (He et al. 2016).
// Deviations: `bn = before` places BN between the linear layer and the activation (Ioffe &
// Szegedy 2015); lenet5-residual adds [3×3 conv p=1 → activation → BN] blocks after each
// stage's maxpool, which the paper does not train.

/// The layer list of a configured preset (or the explicit list for `.layers`).
///
/// lenet5 (bn after): conv5 1→6, relu, BN, maxpool2, conv5 6→16, relu, BN, maxpool2, flatten,
/// fc 256→120, relu, BN, fc 120→84, relu, BN, fc 84→10 (16 layers, 44,878 parameters).
public func layerSpecs(for configuration: ModelConfiguration) -> [LayerSpec] {
    switch configuration.architecture {
    case .layers:
        return configuration.layers
    case .lenet5, .lenet5Residual:
        let blocks = configuration.architecture == .lenet5Residual ? configuration.blocksPerStage : 0
        var specs: [LayerSpec] = []
        // A linear layer followed by its activation, with BN placed as configured.
        func linear(_ spec: LayerSpec) {
            specs.append(spec)
            switch configuration.batchNorm {
            case .after: specs += [.activation(nil), .batchNorm]
            case .before: specs += [.batchNorm, .activation(nil)]
            case .none: specs += [.activation(nil)]
            }
        }
        func stage(_ outputChannels: Int) {
            linear(.conv(outputChannels: outputChannels, kernelSize: 5))
            specs.append(.maxPool(kernelSize: 2, stride: 2))
            for _ in 0..<blocks {
                let start = specs.count
                linear(.conv(outputChannels: outputChannels, kernelSize: 3, stride: 1, padding: 1))
                if configuration.residual { specs.append(.shortcut(span: specs.count - start)) }
            }
        }
        stage(6)
        stage(16)
        specs.append(.flatten)
        linear(.fullyConnected(outputFeatures: 120))
        linear(.fullyConnected(outputFeatures: 84))
        specs.append(.fullyConnected(outputFeatures: 10))
        return specs
    }
}

// `exp-confusion`: the standard `exp` plus the confusion-matrix plugin.
import ExpCLI

Exp.main(plugins: [ConfusionMatrixPlugin.self])

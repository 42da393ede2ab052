// The `exp` executable: everything lives in the ExpCLI library.
import ExpCLI

Exp.main()

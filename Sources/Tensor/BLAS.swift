// The BLAS library behind GEMM: which one, which kernel, how many threads.

import CBLAS

/// Facts about, and settings of, the BLAS library (OpenBLAS) for provenance and determinism.
public enum BLAS {
    /// Sets OpenBLAS's own thread pool size. The engine pins it to 1 (PLATFORM.md §4.3): with
    /// more threads some kernels change the summation order and so the bits of the result.
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// OpenBLAS's thread pool size.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// The kernel OpenBLAS chose for this CPU, e.g. "Prescott" or "SkylakeX". Read once (the
    /// first use), like `configuration`.
    public static let coreName: String = {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }()

    /// OpenBLAS's build configuration string, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH ...". Read once,
    /// at the first use (Swift runs a static initializer exactly once, whatever the threads):
    /// `openblas_get_config()` builds the string in a static buffer each call, so two runs of
    /// `exp run --jobs 2` asking at once read each other's half-built text (" MAX_THREADS=64"
    /// twice or not at all in metrics.h5's `blas` attribute).
    public static let configuration: String = {
        guard let text = openblas_get_config() else { return "unknown" }
        return String(cString: text)
    }()
}

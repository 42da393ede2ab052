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

    /// The kernel OpenBLAS chose for this CPU, e.g. "Prescott" or "SkylakeX".
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// OpenBLAS's build configuration string, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH ...".
    public static var configuration: String {
        guard let text = openblas_get_config() else { return "unknown" }
        return String(cString: text)
    }
}

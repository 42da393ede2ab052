// glibc malloc tuning for the training loop: every layer allocates its output tensors per step
// (hundreds of KB to MB each at n ≥ 64). By default glibc serves such blocks by mmap and returns
// them to the kernel on free (or trims the heap), so every step pays page faults for fresh zero
// pages. Raising the mmap and trim thresholds keeps the freed blocks in the heap for the next
// step: the steady-state step then reuses the same memory without system calls.
// Measured (docs/PERFORMANCE.md): about 1.5× at n = 256.

import CKernels

/// Process-wide allocator settings for the engine.
public enum Allocator {
    nonisolated(unsafe) private static var configured = false

    /// Keeps blocks up to 32 MiB, glibc's maximum, in the heap (M_MMAP_THRESHOLD) and never trims less than
    /// 1 GiB (M_TRIM_THRESHOLD). Idempotent; a no-op off glibc.
    public static func keepFreedMemory() {
        guard !configured else { return }
        configured = true
        exp_keep_freed_memory()
    }
}

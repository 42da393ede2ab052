// A small single-precision GEMM for the fully connected layers (n ≤ a few hundred rows,
// 10–256 columns), where Debian's OpenBLAS falls back to its Prescott kernels on this CPU.
//
// Implementation goals, in order of priority:
// 1. Deterministic: every output is one fused multiply-add chain over k in ascending order,
//    started at +0, then the optional accumulate (C + s) and bias (+ b) roundings; the result
//    does not depend on the tiling, the row range a caller asks for, or the dispatch path.
// 2. Fast for these shapes: 8 rows × 32 columns of accumulators (AVX-512; 4 × 16 with AVX2),
//    A broadcast, B rows loaded.
// 3. Strided A (row and column strides), so Xᵀ·Δ needs no transposed copy.

#include "ckernels.h"
#include "tiles.h"
#include "tiles16.h"

// 16-wide tile (AVX-512 path): MR rows × NV 16-column vectors; the same chain per output.
#define GEMM_TILE16(MR, NV)                                                                    \
    {                                                                                          \
        v16 acc[MR * NV];                                                                      \
        for (int t = 0; t < MR * NV; t++) acc[t] = SPLAT16(0.0f);                               \
        for (int k = 0; k < K; k++) {                                                          \
            const float *br = b + (long)k * ldb + n;                                           \
            v16 bv[NV];                                                                        \
            for (int v = 0; v < NV; v++) bv[v] = LOAD16(br + 16 * v);                           \
            for (int i = 0; i < MR; i++) {                                                     \
                v16 av = SPLAT16(a[(long)(m + i) * rsA + (long)k * csA]);                       \
                for (int v = 0; v < NV; v++) acc[i * NV + v] = FMA16(av, bv[v], acc[i * NV + v]); \
            }                                                                                  \
        }                                                                                      \
        for (int i = 0; i < MR; i++)                                                           \
            for (int v = 0; v < NV; v++) {                                                     \
                float *cp = c + (long)(m + i) * ldc + n + 16 * v;                               \
                v16 r = acc[i * NV + v];                                                       \
                if (accumulate) r = LOAD16(cp) + r;                                            \
                if (bias) r = r + LOAD16(bias + n + 16 * v);                                   \
                STORE16(cp, r);                                                                \
            }                                                                                  \
    }

#define GEMM_BODY16                                                                            \
    int m = m0;                                                                                \
    for (; m + 8 <= m1; m += 8) {                                                              \
        int n = 0;                                                                             \
        for (; n + 32 <= N; n += 32) GEMM_TILE16(8, 2)                                          \
        for (; n + 16 <= N; n += 16) GEMM_TILE16(8, 1)                                          \
        for (; n + 8 <= N; n += 8) GEMM_TILE(8, 1)                                              \
        gemm_tail(a, rsA, csA, b, ldb, c, ldc, m, m + 8, n, N, K, bias, accumulate);           \
    }                                                                                          \
    for (; m + 4 <= m1; m += 4) {                                                              \
        int n = 0;                                                                             \
        for (; n + 32 <= N; n += 32) GEMM_TILE16(4, 2)                                          \
        for (; n + 16 <= N; n += 16) GEMM_TILE16(4, 1)                                          \
        for (; n + 8 <= N; n += 8) GEMM_TILE(4, 1)                                              \
        gemm_tail(a, rsA, csA, b, ldb, c, ldc, m, m + 4, n, N, K, bias, accumulate);           \
    }                                                                                          \
    for (; m < m1; m++) {                                                                      \
        int n = 0;                                                                             \
        for (; n + 16 <= N; n += 16) GEMM_TILE16(1, 1)                                          \
        for (; n + 8 <= N; n += 8) GEMM_TILE(1, 1)                                              \
        gemm_tail(a, rsA, csA, b, ldb, c, ldc, m, m + 1, n, N, K, bias, accumulate);           \
    }

#define GEMM_TILE(MR, NV)                                                                      \
    {                                                                                          \
        v8 acc[MR * NV];                                                                       \
        for (int t = 0; t < MR * NV; t++) acc[t] = SPLAT(0.0f);                                 \
        for (int k = 0; k < K; k++) {                                                          \
            const float *br = b + (long)k * ldb + n;                                           \
            v8 bv[NV];                                                                         \
            for (int v = 0; v < NV; v++) bv[v] = LOAD(br + 8 * v);                              \
            for (int i = 0; i < MR; i++) {                                                     \
                v8 av = SPLAT(a[(long)(m + i) * rsA + (long)k * csA]);                          \
                for (int v = 0; v < NV; v++) acc[i * NV + v] = FMA(av, bv[v], acc[i * NV + v]); \
            }                                                                                  \
        }                                                                                      \
        for (int i = 0; i < MR; i++)                                                           \
            for (int v = 0; v < NV; v++) {                                                     \
                float *cp = c + (long)(m + i) * ldc + n + 8 * v;                                \
                v8 r = acc[i * NV + v];                                                        \
                if (accumulate) r = LOAD(cp) + r;                                              \
                if (bias) r = r + LOAD(bias + n + 8 * v);                                      \
                STORE(cp, r);                                                                  \
            }                                                                                  \
    }

#define GEMM_BODY                                                                              \
    int m = m0;                                                                                \
    for (; m + 4 <= m1; m += 4) {                                                              \
        int n = 0;                                                                             \
        for (; n + 16 <= N; n += 16) GEMM_TILE(4, 2)                                            \
        for (; n + 8 <= N; n += 8) GEMM_TILE(4, 1)                                              \
        gemm_tail(a, rsA, csA, b, ldb, c, ldc, m, m + 4, n, N, K, bias, accumulate);           \
    }                                                                                          \
    for (; m < m1; m++) {                                                                      \
        int n = 0;                                                                             \
        for (; n + 16 <= N; n += 16) GEMM_TILE(1, 2)                                            \
        for (; n + 8 <= N; n += 8) GEMM_TILE(1, 1)                                              \
        gemm_tail(a, rsA, csA, b, ldb, c, ldc, m, m + 1, n, N, K, bias, accumulate);           \
    }

/// Columns [n0, N) (fewer than 8) of rows [m0, m1): one vector per row with the missing lanes
/// zero, in the same order of operations as the full tiles.
AI void gemm_tail(const float *a, long rsA, long csA, const float *b, long ldb, float *c, long ldc,
                  int m0, int m1, int n0, int N, int K, const float *bias, int accumulate) {
    int w = N - n0;
    if (w <= 0) return;
    for (int m = m0; m < m1; m += 4) {
        int rows = m1 - m < 4 ? m1 - m : 4;
        v8 acc[4] = {SPLAT(0.0f), SPLAT(0.0f), SPLAT(0.0f), SPLAT(0.0f)};
        for (int k = 0; k < K; k++) {
            const float *br = b + (long)k * ldb + n0;
            v8 bv = SPLAT(0.0f);
            for (int l = 0; l < w; l++) bv[l] = br[l];
            for (int i = 0; i < rows; i++) acc[i] = FMA(SPLAT(a[(long)(m + i) * rsA + (long)k * csA]), bv, acc[i]);
        }
        for (int i = 0; i < rows; i++)
            for (int l = 0; l < w; l++) {
                float *cp = c + (long)(m + i) * ldc + n0 + l;
                float r = acc[i][l];
                if (accumulate) r = *cp + r;
                if (bias) r = r + bias[n0 + l];
                *cp = r;
            }
    }
}

static __attribute__((target("avx2,fma,avx512f,avx512vl"))) void gemm_avx512(
    const float *a, long rsA, long csA, const float *b, long ldb, float *c, long ldc, int m0, int m1, int N, int K,
    const float *bias, int accumulate) {
    GEMM_BODY16
}

static __attribute__((target("avx2,fma"))) void gemm_avx2(const float *a, long rsA, long csA, const float *b, long ldb,
                                                        float *c, long ldc, int m0, int m1, int N, int K,
                                                        const float *bias, int accumulate) {
    GEMM_BODY
}

static void gemm_generic(const float *a, long rsA, long csA, const float *b, long ldb, float *c, long ldc,
                         int m0, int m1, int N, int K, const float *bias, int accumulate) {
    GEMM_BODY
}

void exp_gemm(const float *a, long rsA, long csA, const float *b, long ldb, float *c, long ldc,
              int m0, int m1, int N, int K, const float *bias, int accumulate) {
    switch (exp_conv_simd_level()) {
    case 2: gemm_avx512(a, rsA, csA, b, ldb, c, ldc, m0, m1, N, K, bias, accumulate); break;
    case 1: gemm_avx2(a, rsA, csA, b, ldb, c, ldc, m0, m1, N, K, bias, accumulate); break;
    default: gemm_generic(a, rsA, csA, b, ldb, c, ldc, m0, m1, N, K, bias, accumulate);
    }
}

void exp_transpose(const float *src, float *dst, int rows, int cols) {
    // 8×8 blocks: reads 8 source rows at a time, writes 8 contiguous destination floats.
    for (int i0 = 0; i0 < rows; i0 += 8) {
        int i1 = i0 + 8 < rows ? i0 + 8 : rows;
        for (int j0 = 0; j0 < cols; j0 += 8) {
            int j1 = j0 + 8 < cols ? j0 + 8 : cols;
            for (int j = j0; j < j1; j++)
                for (int i = i0; i < i1; i++) dst[(long)j * rows + i] = src[(long)i * cols + j];
        }
    }
}

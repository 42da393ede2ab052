// 2×2, stride-2 max pooling (forward with argmax, backward) for Float planes of even height and
// width, the pooling layers of the paper's LeNet-5 (24×24 → 12×12, 8×8 → 4×4).
//
// Implementation goals, in order of priority:
// 1. The layer's semantics exactly (MaxPool.swift): candidates in row-major order, a candidate
//    replaces the best when strictly greater or NaN (ties go to the first maximum, a NaN wins);
//    backward writes every input cell: 0, or 0 + Δ at the window's argmax (−0 becomes +0, as
//    the reference's += onto a zero). No arithmetic beyond that, so every path gives the same
//    bits as the reference (tests compare).
// 2. Fast: no argmax at all when none is asked for (inference: no backward follows); blocks of
//    8 and then 4 outputs of a row as vectors (even/odd columns of the two
//    input rows, argmax computed as 64-bit vectors), a scalar tail; AVX-512, AVX2 and generic
//    variants.

#include "ckernels.h"

typedef float pf8 __attribute__((vector_size(32), aligned(4)));
typedef float pf4 __attribute__((vector_size(16), aligned(4)));
typedef int pi8 __attribute__((vector_size(32)));
typedef int pi4 __attribute__((vector_size(16)));
typedef long pl8 __attribute__((vector_size(64), aligned(8)));
typedef long pl4 __attribute__((vector_size(32), aligned(8)));

#define EVEN8 0, 2, 4, 6, 8, 10, 12, 14
#define ODD8 1, 3, 5, 7, 9, 11, 13, 15
#define EVEN4 0, 2, 4, 6
#define ODD4 1, 3, 5, 7
#define ZIPLO8 0, 8, 1, 9, 2, 10, 3, 11
#define ZIPHI8 4, 12, 5, 13, 6, 14, 7, 15
#define ZIPLO4 0, 4, 1, 5
#define ZIPHI4 2, 6, 3, 7
#define IOTA8 {0, 2, 4, 6, 8, 10, 12, 14}
#define IOTA4 {0, 2, 4, 6}

// B outputs (ox … ox+B−1) of row oy: values and flat argmax.
#define FWD_BLOCK(B, VF, VI, VL, EVEN, ODD, IOTA, KEEP)                                            \
    for (; ox + B <= wo; ox += B) {                                                               \
        VF a = *(const VF *)(r0 + 2 * ox), b = *(const VF *)(r0 + 2 * ox + B);                    \
        VF c = *(const VF *)(r1 + 2 * ox), d = *(const VF *)(r1 + 2 * ox + B);                    \
        VF cand[4] = {__builtin_shufflevector(a, b, EVEN), __builtin_shufflevector(a, b, ODD),    \
                      __builtin_shufflevector(c, d, EVEN), __builtin_shufflevector(c, d, ODD)};   \
        VF best = cand[0];                                                                        \
        VI which = {0};                                                                           \
        for (int t = 1; t < 4; t++) {                                                             \
            VI take = (cand[t] > best) | (cand[t] != cand[t]);                                    \
            best = (VF)(((VI)cand[t] & take) | ((VI)best & ~take));                               \
            which = ((VI){0} + t & take) | (which & ~take);                                       \
        }                                                                                         \
        *(VF *)(op + oy * wo + ox) = best;                                                        \
        if (KEEP) {                                                                               \
            VL wl = __builtin_convertvector(which, VL);                                           \
            VL idx = (VL)IOTA + (rowBase + 2 * ox) + (wl >> 1) * w + (wl & 1);                    \
            *(VL *)(ap + oy * wo + ox) = idx;                                                     \
        }                                                                                         \
    }

#define FWD_BODY(KEEP)                                                                            \
    int ho = h / 2, wo = w / 2;                                                                   \
    for (long p = p0; p < p1; p++) {                                                              \
        long base = p * h * w;                                                                    \
        float *op = out + p * ho * wo;                                                            \
        long *ap = KEEP ? argmax + p * ho * wo : 0;                                               \
        for (int oy = 0; oy < ho; oy++) {                                                         \
            long rowBase = base + (long)(2 * oy) * w;                                             \
            const float *r0 = x + rowBase, *r1 = r0 + w;                                          \
            int ox = 0;                                                                           \
            FWD_BLOCK(8, pf8, pi8, pl8, EVEN8, ODD8, IOTA8, KEEP)                                 \
            FWD_BLOCK(4, pf4, pi4, pl4, EVEN4, ODD4, IOTA4, KEEP)                                 \
            for (; ox < wo; ox++) {                                                               \
                long i = rowBase + 2 * ox;                                                        \
                long cidx[4] = {i, i + 1, i + w, i + w + 1};                                      \
                float bestv = x[i];                                                               \
                long bi = i;                                                                      \
                for (int t = 1; t < 4; t++) {                                                     \
                    float v = x[cidx[t]];                                                         \
                    if (v > bestv || v != v) { bestv = v; bi = cidx[t]; }                         \
                }                                                                                 \
                op[oy * wo + ox] = bestv;                                                         \
                if (KEEP) ap[oy * wo + ox] = bi;                                                  \
            }                                                                                     \
        }                                                                                         \
    }

// B outputs of row oy: the 2B cells of each input row, 0 except 0 + Δ at the argmax.
#define BWD_BLOCK(B, VF, VI, VL, ZIPLO, ZIPHI, IOTA)                                               \
    for (; ox + B <= wo; ox += B) {                                                               \
        VF val = (VF){0} + *(const VF *)(dp + oy * wo + ox);                                      \
        VL rel = *(const VL *)(ap + oy * wo + ox) - ((VL)IOTA + (rowBase + 2 * ox));             \
        VI row1 = __builtin_convertvector(rel >= w, VI), col1 = __builtin_convertvector(rel & 1, VI) != 0; \
        VI v = (VI)val;                                                                           \
        VF e0 = (VF)(v & ~row1 & ~col1), o0 = (VF)(v & ~row1 & col1);                              \
        VF e1 = (VF)(v & row1 & ~col1), o1 = (VF)(v & row1 & col1);                               \
        float *q0 = out + rowBase + 2 * ox, *q1 = q0 + w;                                         \
        *(VF *)q0 = __builtin_shufflevector(e0, o0, ZIPLO);                                       \
        *(VF *)(q0 + B) = __builtin_shufflevector(e0, o0, ZIPHI);                                 \
        *(VF *)q1 = __builtin_shufflevector(e1, o1, ZIPLO);                                       \
        *(VF *)(q1 + B) = __builtin_shufflevector(e1, o1, ZIPHI);                                 \
    }

#define BWD_BODY                                                                                  \
    int ho = h / 2, wo = w / 2;                                                                   \
    for (long p = p0; p < p1; p++) {                                                              \
        long base = p * h * w;                                                                    \
        const float *dp = delta + p * ho * wo;                                                    \
        const long *ap = argmax + p * ho * wo;                                                    \
        for (int oy = 0; oy < ho; oy++) {                                                         \
            long rowBase = base + (long)(2 * oy) * w;                                             \
            int ox = 0;                                                                           \
            BWD_BLOCK(8, pf8, pi8, pl8, ZIPLO8, ZIPHI8, IOTA8)                                    \
            BWD_BLOCK(4, pf4, pi4, pl4, ZIPLO4, ZIPHI4, IOTA4)                                    \
            for (; ox < wo; ox++) {                                                               \
                long i = rowBase + 2 * ox;                                                        \
                out[i] = 0.0f; out[i + 1] = 0.0f; out[i + w] = 0.0f; out[i + w + 1] = 0.0f;      \
                out[ap[oy * wo + ox]] = 0.0f + dp[oy * wo + ox];                                  \
            }                                                                                     \
        }                                                                                         \
    }

#define DEFINE_POOL(suffix, attr)                                                                 \
    static attr void fwd_##suffix(const float *x, float *out, long *argmax, long p0, long p1, int h, int w) { \
        FWD_BODY(1)                                                                               \
    }                                                                                             \
    static attr void fwdv_##suffix(const float *x, float *out, long *argmax, long p0, long p1, int h, int w) { \
        FWD_BODY(0)                                                                               \
    }                                                                                             \
    static attr void bwd_##suffix(const float *delta, const long *argmax, float *out, long p0, long p1, int h, int w) { \
        BWD_BODY                                                                                  \
    }

DEFINE_POOL(avx512, __attribute__((target("avx2,fma,avx512f,avx512vl,avx512dq"))))
DEFINE_POOL(avx2, __attribute__((target("avx2,fma"))))
DEFINE_POOL(generic, )

void exp_maxpool2_forward(const float *x, float *out, long *argmax, long p0, long p1, int h, int w) {
    if (!argmax) {   // inference: values only
        switch (exp_conv_simd_level()) {
        case 2: fwdv_avx512(x, out, argmax, p0, p1, h, w); break;
        case 1: fwdv_avx2(x, out, argmax, p0, p1, h, w); break;
        default: fwdv_generic(x, out, argmax, p0, p1, h, w);
        }
        return;
    }
    switch (exp_conv_simd_level()) {
    case 2: fwd_avx512(x, out, argmax, p0, p1, h, w); break;
    case 1: fwd_avx2(x, out, argmax, p0, p1, h, w); break;
    default: fwd_generic(x, out, argmax, p0, p1, h, w);
    }
}

void exp_maxpool2_backward(const float *delta, const long *argmax, float *out, long p0, long p1, int h, int w) {
    switch (exp_conv_simd_level()) {
    case 2: bwd_avx512(delta, argmax, out, p0, p1, h, w); break;
    case 1: bwd_avx2(delta, argmax, out, p0, p1, h, w); break;
    default: bwd_generic(delta, argmax, out, p0, p1, h, w);
    }
}

void exp_maxpool_backward(const float *delta, const long *argmax, float *out, long b, long e) {
    for (long j = b; j < e; j++) out[argmax[j]] += delta[j];
}

// Inference only: 2×2 stride-2 max pooling fused with the ReLU and batch-norm layers before it
// (conv → ReLU → BN → pool, conv → BN → ReLU → pool, conv → ReLU → pool), one pass over the
// convolution's output instead of three (Layers' PooledActivation.swift).
//
// Implementation goals, in order of priority:
// 1. The values of the layer-by-layer inference path (elementwise.c's relu_fwd and bnapply,
//    pool.c's values-only pooling) for any input and any parameters, and their bits, NaN
//    included, when the BN parameters and statistics are finite. With NaN or ±∞ among them
//    (a diverged network) only the numbers and the places of the NaNs are promised: the sign
//    of a NaN logit of `Network.infer` was seen to differ (docs/PERFORMANCE.md). Why it
//    holds: g, the element-wise function of the fused layers, is
//      ReLU:        g(x) = x < 0 ? +0 : x
//      BN (Float64, the same operations as bnapply, no FMA):
//                   F(u) = (float)(w·(((double)u − μ)·invStd) + b)
//    and g = ReLU, F∘ReLU or ReLU∘F. When μ, invStd, w and b are finite with invStd > 0 and
//    w ≠ 0 ("monotone channel"), every step is a monotone rounding, so g is nondecreasing
//    (w > 0) or nonincreasing (w < 0) in the numeric order (g(−0) and g(+0) are equal
//    numerically), and g(x) is NaN exactly when x is. Hence the window's first maximum (w > 0)
//    or first minimum (w < 0) x*, with the reference's rule that a NaN wins (the last NaN),
//    gives g(x*) numerically equal to the reference's first maximum of g over the window, and
//    the very same NaN. Equal non-zero floats have equal bits; only a zero result may differ
//    (−0 against +0), so zero results are recomputed: when the last layer is ReLU (g ≥ 0), a
//    zero maximum means the whole window is zero and the reference keeps its first cell,
//    g(x₀); after BN (F∘ReLU) the window is evaluated cell by cell exactly as the reference.
//    Channels that are not monotone (w = ±0, invStd infinite, a NaN parameter, …) are
//    evaluated cell by cell throughout (the same numbers and NaN places; with non-finite
//    parameters a NaN's sign is not promised, see above).
// 2. Fast: phase 1 pools blocks of 8 and 4 outputs of a row as vectors (even/odd columns of
//    the two input rows) for a group of samples, channel by channel; phase 2 then applies g in
//    8 Float64 lanes, flat over each pooled plane (a quarter of the values); AVX-512, AVX2 and
//    generic variants (the same bits).
// Source: L. Boué, "Deep learning for pedestrians" (arXiv:1811.11987): ReLU, batch-norm and
// max-pooling layers; BN in inference with the running statistics (Ioffe & Szegedy 2015, §3.1).

#pragma STDC FP_CONTRACT OFF
#include "ckernels.h"
#include <stdlib.h>

typedef float qf8 __attribute__((vector_size(32), aligned(4)));
typedef int qi8 __attribute__((vector_size(32)));
typedef double qd8 __attribute__((vector_size(64), aligned(8)));
typedef float qf4 __attribute__((vector_size(16), aligned(4)));
typedef int qi4 __attribute__((vector_size(16)));
typedef double qd4 __attribute__((vector_size(32), aligned(8)));

#define QEVEN8 0, 2, 4, 6, 8, 10, 12, 14
#define QODD8 1, 3, 5, 7, 9, 11, 13, 15
#define QEVEN4 0, 2, 4, 6
#define QODD4 1, 3, 5, 7

/// One channel's batch-norm constants, Float64 as in bnapply.
struct affine { double mu, k, w, b; };

static inline float relu1(float x) { return x < 0 ? 0.0f : x; }
static inline float bn1(float u, const struct affine *a) {
    double h = ((double)u - a->mu) * a->k;
    double t = a->w * h;
    return (float)(t + a->b);
}
/// g of the fused layers: 0 ReLU, 1 ReLU then BN, 2 BN then ReLU.
static inline float g1(float x, int order, const struct affine *a) {
    return order == 0 ? relu1(x) : order == 1 ? bn1(relu1(x), a) : relu1(bn1(x, a));
}
/// The reference for one window (rows r0, r1): the first maximum of g, a NaN wins.
static inline float exact1(const float *r0, const float *r1, int order, const struct affine *a) {
    float c[4] = {r0[0], r0[1], r1[0], r1[1]};
    float best = g1(c[0], order, a);
    for (int t = 1; t < 4; t++) {
        float v = g1(c[t], order, a);
        if (v > best || v != v) best = v;
    }
    return best;
}

// g on a vector of B floats (VF), in Float64 lanes (VD); ReLU keeps NaN and −0, as relu1.
#define VRELU(VF, VI, v) ((VF)((VI)(v) & ~(VI)((v) < 0)))
#define VBN(VF, VD, v) \
    __builtin_convertvector((a->w * ((__builtin_convertvector((v), VD) - a->mu) * a->k)) + a->b, VF)
#define VG(VF, VI, VD, v) \
    (order == 0 ? VRELU(VF, VI, v) : order == 1 ? VBN(VF, VD, VRELU(VF, VI, v)) : VRELU(VF, VI, VBN(VF, VD, v)))

// Phase 1, B outputs of row oy: x* (first max for dir > 0, first min for dir < 0; a NaN wins)
// into o, and the window's first cell x₀ into f (needed when g(x*) is zero, orders 0 and 2).
#define SELECT(B, VF, VI, EVEN, ODD)                                                              \
    for (; ox + B <= wo; ox += B) {                                                               \
        VF p = *(const VF *)(r0 + 2 * ox), q = *(const VF *)(r0 + 2 * ox + B);                    \
        VF s = *(const VF *)(r1 + 2 * ox), t = *(const VF *)(r1 + 2 * ox + B);                    \
        VF cand[4] = {__builtin_shufflevector(p, q, EVEN), __builtin_shufflevector(p, q, ODD),    \
                      __builtin_shufflevector(s, t, EVEN), __builtin_shufflevector(s, t, ODD)};   \
        VF y = cand[0];                                                                           \
        for (int u = 1; u < 4; u++) {                                                             \
            VI take = (dir > 0 ? cand[u] > y : cand[u] < y) | (cand[u] != cand[u]);              \
            y = (VF)(((VI)cand[u] & take) | ((VI)y & ~take));                                     \
        }                                                                                         \
        *(VF *)(o + ox) = y;                                                                      \
        if (order != 1) *(VF *)(f + ox) = cand[0];                                                \
    }

/// Phase 1 for one h×w plane: x* into out ((h/2)×(w/2)) and x₀ into first (as many floats);
/// dir: +1 max, −1 min, 0 every window by the reference (the values, final; no phase 2).
static inline __attribute__((always_inline)) void select_plane(const float *x, float *out, float *first, int h, int w,
                                                               int order, int dir, const struct affine *a) {
    int ho = h / 2, wo = w / 2;
    if (dir == 0) {
        for (int oy = 0; oy < ho; oy++)
            for (int ox = 0; ox < wo; ox++)
                out[(long)oy * wo + ox] = exact1(x + (long)(2 * oy) * w + 2 * ox, x + (long)(2 * oy + 1) * w + 2 * ox, order, a);
        return;
    }
    for (int oy = 0; oy < ho; oy++) {
        const float *r0 = x + (long)(2 * oy) * w, *r1 = r0 + w;
        float *o = out + (long)oy * wo, *f = first + (long)oy * wo;
        int ox = 0;
        SELECT(8, qf8, qi8, QEVEN8, QODD8)
        SELECT(4, qf4, qi4, QEVEN4, QODD4)
        for (; ox < wo; ox++) {
            const float *c = r0 + 2 * ox;
            float v[4] = {c[0], c[1], c[w], c[w + 1]}, y = v[0];
            for (int u = 1; u < 4; u++)
                if ((dir > 0 ? v[u] > y : v[u] < y) || v[u] != v[u]) y = v[u];
            o[ox] = y;
            f[ox] = v[0];
        }
    }
}

/// Phase 2 for one plane: out = g(x*), flat over the (h/2)·(w/2) pooled values, zero results
/// as the reference (x: the plane's input, for order 1's rare cell-by-cell windows).
static inline __attribute__((always_inline)) void apply_plane(const float *x, float *out, const float *first, int h,
                                                              int w, int order, int dir, const struct affine *a) {
    if (dir == 0) return;
    int wo = w / 2;
    long cells = (long)(h / 2) * wo, i = 0;
    for (; i + 8 <= cells; i += 8) {
        qf8 xs = *(const qf8 *)(out + i);
        qf8 y = VG(qf8, qi8, qd8, xs);
        qi8 zero = y == 0;
        if (order == 1 && dir > 0) zero &= ~(xs < 0);   // every cell < 0: y = F(+0) is exact
        int any = 0;
        for (int l = 0; l < 8; l++) any |= zero[l];
        if (any) {
            if (order != 1) {            // g ≥ 0: a zero window keeps its first cell, g(x₀)
                qf8 e = VG(qf8, qi8, qd8, *(const qf8 *)(first + i));
                y = (qf8)(((qi8)e & zero) | ((qi8)y & ~zero));
            } else {
                for (int l = 0; l < 8; l++)
                    if (zero[l]) {
                        long j = i + l, oy = j / wo, ox = j % wo;
                        const float *c = x + 2 * oy * w + 2 * ox;
                        y[l] = exact1(c, c + w, order, a);
                    }
            }
        }
        *(qf8 *)(out + i) = y;
    }
    for (; i < cells; i++) {
        long oy = i / wo, ox = i % wo;
        float y = g1(out[i], order, a);
        int negative = order == 1 && dir > 0 && out[i] < 0;
        if (y == 0 && !negative) {
            const float *c = x + 2 * oy * w + 2 * ox;
            y = order != 1 ? g1(first[i], order, a) : exact1(c, c + w, order, a);
        }
        out[i] = y;
    }
}

/// +1 / −1 when g is nondecreasing / nonincreasing on this channel, 0 when not monotone.
static int direction(int order, const struct affine *a) {
    if (order == 0) return 1;
    int finite = __builtin_isfinite(a->mu) && __builtin_isfinite(a->k) && __builtin_isfinite(a->w) &&
                 __builtin_isfinite(a->b);
    if (!finite || !(a->k > 0) || a->w == 0) return 0;
    return a->w > 0 ? 1 : -1;
}

// Runs PHASE(…, order, dir, …) with constant order and dir, so that each loop is specialised.
#define SPECIALISED(PHASE, ...)                                                                   \
    switch (order * 3 + dir + 1) {                                                                \
    case 2: PHASE(__VA_ARGS__, 0, 1, &af); break;                                                 \
    case 3: PHASE(__VA_ARGS__, 1, -1, &af); break;                                                \
    case 5: PHASE(__VA_ARGS__, 1, 1, &af); break;                                                 \
    case 6: PHASE(__VA_ARGS__, 2, -1, &af); break;                                                \
    case 8: PHASE(__VA_ARGS__, 2, 1, &af); break;                                                 \
    default: PHASE(__VA_ARGS__, order, 0, &af);                                                   \
    }

// One channel's planes of samples [s0, s1): phase 1 or phase 2.
#define CHANNEL_LOOP(PHASE)                                                                       \
    static inline __attribute__((always_inline)) void PHASE##_channel(                            \
        const float *x, float *out, float *first, int h, int w, long s0, long s1, int c, int d,   \
        int order, int dir, const struct affine *a) {                                             \
        long cells = (long)(h / 2) * (w / 2);                                                     \
        for (long s = s0; s < s1; s++) {                                                          \
            long p = s * d + c;                                                                   \
            PHASE##_plane(x + p * h * w, out + p * cells, first ? first + ((s - s0) * d + c) * cells : 0, \
                          h, w, order, dir, a);                                                   \
        }                                                                                         \
    }
CHANNEL_LOOP(select)
CHANNEL_LOOP(apply)

// Samples in groups whose x₀ fit the scratch (group samples): phase 1 for the group, channel by
// channel, then phase 2, so that phase 2 reads pooled values stored a while ago (no
// store-to-load forwarding stalls) and the specialised loop is chosen once per channel.
#define DEFINE_FUSED(suffix, attr)                                                                \
    static attr void fused_##suffix(const float *x, float *out, float *first, long group,        \
                                    const double *mean, const double *inv, const double *w,       \
                                    const double *b, int order, long n0, long n1, int d, int h, int wd) { \
        for (long g0 = n0, g1; g0 < n1; g0 = g1) {                                                \
            g1 = g0 + group < n1 ? g0 + group : n1;                                               \
            for (int phase = 0; phase < 2; phase++)                                               \
                for (int c = 0; c < d; c++) {                                                     \
                    struct affine af = {0, 1, 1, 0};                                              \
                    if (order != 0) af = (struct affine){mean[c], inv[c], w[c], b[c]};            \
                    int dir = first ? direction(order, &af) : 0;                                  \
                    if (phase == 0) { SPECIALISED(select_channel, x, out, first, h, wd, g0, g1, c, d) } \
                    else { SPECIALISED(apply_channel, x, out, first, h, wd, g0, g1, c, d) }       \
                }                                                                                 \
        }                                                                                         \
    }

DEFINE_FUSED(avx512, __attribute__((target("avx2,fma,avx512f,avx512vl,avx512dq"))))
DEFINE_FUSED(avx2, __attribute__((target("avx2,fma"))))
DEFINE_FUSED(generic, )

void exp_pool2_activation_inference(const float *x, float *out, const double *mean, const double *invStd,
                                    const double *w, const double *b, int order, long n0, long n1, int d,
                                    int h, int wd) {
    enum { STACK = 4096 };
    long sample = (long)d * (h / 2) * (wd / 2), group = sample <= STACK ? STACK / (sample > 0 ? sample : 1) : 1;
    float stack[STACK];   // x₀ per window of a group of samples; NULL (a huge sample, no memory): the reference path
    float *first = sample <= STACK ? stack : malloc((size_t)sample * sizeof(float));
    switch (exp_conv_simd_level()) {
    case 2: fused_avx512(x, out, first, group, mean, invStd, w, b, order, n0, n1, d, h, wd); break;
    case 1: fused_avx2(x, out, first, group, mean, invStd, w, b, order, n0, n1, d, h, wd); break;
    default: fused_generic(x, out, first, group, mean, invStd, w, b, order, n0, n1, d, h, wd);
    }
    if (first != stack) free(first);
}

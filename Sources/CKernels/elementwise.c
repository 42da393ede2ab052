// Element-wise and per-channel kernels of ReLU and batch normalisation (Float data, Float64
// statistics), the layers around the convolutions in the paper's LeNet-5 (pooling: pool.c).
//
// Implementation goals, in order of priority:
// 1. The layers' semantics exactly (Activation.swift, BatchNorm.swift): NaN propagation,
//    Float64 statistics and Float64 arithmetic in the BN
//    apply/backward formulas (no FMA contraction: -ffp-contract is irrelevant here because
//    every expression is written with separate roundings the compiler must keep in C).
// 2. Deterministic sums in a fixed order: per channel, samples in order, within a sample
//    16 Float64 lanes by position mod 16, lanes combined pairwise at the end (combine), then
//    the tail of positions past the last multiple of 16.
//    Callers split samples into fixed parts and add the parts' sums in part order.
// 3. Fast: explicit 8-double vectors for the sums and the vector (n×f) layers, vectorisable
//    loops elsewhere; AVX-512, AVX2 and generic variants by dispatch (the same bits).
// Source: L. Boué, "Deep learning for pedestrians" (arXiv:1811.11987): ReLU and
// batch-normalisation layers, eqs. (41)–(43).

#pragma STDC FP_CONTRACT OFF
#include "ckernels.h"

// 16 Float64 lanes as two 8-double vectors: l0 holds positions ≡ 0…7 (mod 16), l1 ≡ 8…15.
typedef float ev16 __attribute__((vector_size(64), aligned(4)));
typedef double ev8d __attribute__((vector_size(64), aligned(8)));
typedef float ev8f __attribute__((vector_size(32), aligned(4)));
#define EV8(p) __builtin_convertvector(*(const ev8f *)(p), ev8d)
#define EV_LO(v) __builtin_convertvector(__builtin_shufflevector((v), (v), 0, 1, 2, 3, 4, 5, 6, 7), ev8d)
#define EV_HI(v) __builtin_convertvector(__builtin_shufflevector((v), (v), 8, 9, 10, 11, 12, 13, 14, 15), ev8d)

/// a[i] = l[i] + l[i+8] of the 16 lanes, summed pairwise: (+4), then (+2), then (+1).
static inline double combine8(const double *a) {
    double b[4], c[2];
    for (int i = 0; i < 4; i++) b[i] = a[i] + a[i + 4];
    for (int i = 0; i < 2; i++) c[i] = b[i] + b[i + 2];
    return c[0] + c[1];
}
#define combine(l0, l1) ({ double a_[8]; *(ev8d *)a_ = (l0) + (l1); combine8(a_); })

#define BODIES(ATTR, S)                                                                         \
    static ATTR void relu_fwd##S(const float *x, float *y, long b, long e) {                       \
        for (long i = b; i < e; i++) y[i] = x[i] < 0 ? 0.0f : x[i];                             \
    }                                                                                           \
    static ATTR void relu_bwd##S(const float *x, const float *d, float *o, long b, long e) {       \
        for (long i = b; i < e; i++) o[i] = x[i] > 0 ? d[i] : 0.0f;                             \
    }                                                                                           \
    static ATTR void csum##S(const float *x, double *sum, int n0, int n1, int d, int rr) {         \
        for (int c = 0; c < d; c++) {                                                           \
            ev8d l0 = {0}, l1 = {0};                                                            \
            double tail = 0;                                                                    \
            for (int s = n0; s < n1; s++) {                                                     \
                const float *p = x + ((long)s * d + c) * rr;                                    \
                int j = 0;                                                                      \
                for (; j + 16 <= rr; j += 16) {                                                 \
                    ev16 v = *(const ev16 *)(p + j);                                            \
                    l0 += EV_LO(v); l1 += EV_HI(v);                                             \
                }                                                                               \
                for (; j < rr; j++) tail += (double)p[j];                                       \
            }                                                                                   \
            sum[c] = combine(l0, l1) + tail;                                                    \
        }                                                                                       \
    }                                                                                           \
    static ATTR void csq##S(const float *x, const double *mean, double *sum, int n0, int n1, int d, int rr) { \
        for (int c = 0; c < d; c++) {                                                           \
            ev8d l0 = {0}, l1 = {0};                                                            \
            double tail = 0, mu = mean[c];                                                      \
            for (int s = n0; s < n1; s++) {                                                     \
                const float *p = x + ((long)s * d + c) * rr;                                    \
                int j = 0;                                                                      \
                for (; j + 16 <= rr; j += 16) {                                                 \
                    ev16 v = *(const ev16 *)(p + j);                                            \
                    ev8d e0 = EV_LO(v) - mu, e1 = EV_HI(v) - mu;                                \
                    ev8d q0 = e0 * e0, q1 = e1 * e1;                                            \
                    l0 += q0; l1 += q1;                                                         \
                }                                                                               \
                for (; j < rr; j++) { double e = (double)p[j] - mu; double q = e * e; tail += q; } \
            }                                                                                   \
            sum[c] = combine(l0, l1) + tail;                                                    \
        }                                                                                       \
    }                                                                                           \
    static ATTR void cdot##S(const float *dl, const float *xh, double *sd, double *sdx, int n0, int n1, int d, int rr) { \
        for (int c = 0; c < d; c++) {                                                           \
            ev8d a0 = {0}, a1 = {0}, m0 = {0}, m1 = {0};                                        \
            double ta = 0, tm = 0;                                                              \
            for (int s = n0; s < n1; s++) {                                                     \
                long base = ((long)s * d + c) * rr;                                             \
                int j = 0;                                                                      \
                for (; j + 16 <= rr; j += 16) {                                                 \
                    ev16 v = *(const ev16 *)(dl + base + j), h = *(const ev16 *)(xh + base + j); \
                    ev8d v0 = EV_LO(v), v1 = EV_HI(v);                                          \
                    ev8d q0 = v0 * EV_LO(h), q1 = v1 * EV_HI(h);                                \
                    a0 += v0; a1 += v1; m0 += q0; m1 += q1;                                     \
                }                                                                               \
                for (; j < rr; j++) {                                                           \
                    double v = (double)dl[base + j]; double q = v * (double)xh[base + j];       \
                    ta += v; tm += q;                                                           \
                }                                                                               \
            }                                                                                   \
            sd[c] = combine(a0, a1) + ta;                                                       \
            sdx[c] = combine(m0, m1) + tm;                                                      \
        }                                                                                       \
    }                                                                                           \
    /* Vectors (rr = 1): channels side by side, 8 per vector; each channel one chain over s. */ \
    static ATTR void colsum##S(const float *x, double *sum, int n0, int n1, int d) {               \
        for (int c = 0; c < d; c++) sum[c] = 0;                                                 \
        for (int s = n0; s < n1; s++) {                                                         \
            const float *p = x + (long)s * d;                                                   \
            int c = 0;                                                                          \
            for (; c + 8 <= d; c += 8) *(ev8d *)(sum + c) += EV8(p + c);                        \
            for (; c < d; c++) sum[c] += (double)p[c];                                          \
        }                                                                                       \
    }                                                                                           \
    static ATTR void colsq##S(const float *x, const double *mean, double *sum, int n0, int n1, int d) { \
        for (int c = 0; c < d; c++) sum[c] = 0;                                                 \
        for (int s = n0; s < n1; s++) {                                                         \
            const float *p = x + (long)s * d;                                                   \
            int c = 0;                                                                          \
            for (; c + 8 <= d; c += 8) {                                                        \
                ev8d e = EV8(p + c) - *(const ev8d *)(mean + c);                                \
                ev8d q = e * e;                                                                 \
                *(ev8d *)(sum + c) += q;                                                        \
            }                                                                                   \
            for (; c < d; c++) { double e = (double)p[c] - mean[c]; double q = e * e; sum[c] += q; } \
        }                                                                                       \
    }                                                                                           \
    static ATTR void coldot##S(const float *dl, const float *xh, double *sd, double *sdx, int n0, int n1, int d) { \
        for (int c = 0; c < d; c++) { sd[c] = 0; sdx[c] = 0; }                                  \
        for (int s = n0; s < n1; s++) {                                                         \
            const float *p = dl + (long)s * d, *h = xh + (long)s * d;                            \
            int c = 0;                                                                          \
            for (; c + 8 <= d; c += 8) {                                                        \
                ev8d v = EV8(p + c), q = v * EV8(h + c);                                        \
                *(ev8d *)(sd + c) += v;                                                         \
                *(ev8d *)(sdx + c) += q;                                                        \
            }                                                                                   \
            for (; c < d; c++) { double v = (double)p[c]; double q = v * (double)h[c]; sd[c] += v; sdx[c] += q; } \
        }                                                                                       \
    }                                                                                           \
    static ATTR void colapply##S(const float *x, const double *mean, const double *inv, const double *w, \
                              const double *b, float *xh, float *y, int n0, int n1, int d) {    \
        for (int s = n0; s < n1; s++) {                                                         \
            long o = (long)s * d;                                                               \
            int c = 0;                                                                          \
            for (; c + 8 <= d; c += 8) {                                                        \
                ev8d h = (EV8(x + o + c) - *(const ev8d *)(mean + c)) * *(const ev8d *)(inv + c); \
                *(ev8f *)(xh + o + c) = __builtin_convertvector(h, ev8f);                        \
                ev8d t = *(const ev8d *)(w + c) * h;                                            \
                *(ev8f *)(y + o + c) = __builtin_convertvector(t + *(const ev8d *)(b + c), ev8f); \
            }                                                                                   \
            for (; c < d; c++) {                                                                \
                double h = ((double)x[o + c] - mean[c]) * inv[c];                               \
                xh[o + c] = (float)h;                                                           \
                double t = w[c] * h;                                                            \
                y[o + c] = (float)(t + b[c]);                                                   \
            }                                                                                   \
        }                                                                                       \
    }                                                                                           \
    static ATTR void colback##S(const float *dl, const float *xh, const double *k, const double *sd, \
                             const double *sdx, double nEff, float *out, int n0, int n1, int d) { \
        for (int s = n0; s < n1; s++) {                                                         \
            long o = (long)s * d;                                                               \
            int c = 0;                                                                          \
            for (; c + 8 <= d; c += 8) {                                                        \
                ev8d f = *(const ev8d *)(k + c) / nEff;                                         \
                ev8d t1 = nEff * EV8(dl + o + c);                                               \
                ev8d t2 = t1 - *(const ev8d *)(sd + c);                                         \
                ev8d t3 = EV8(xh + o + c) * *(const ev8d *)(sdx + c);                           \
                *(ev8f *)(out + o + c) = __builtin_convertvector(f * (t2 - t3), ev8f);           \
            }                                                                                   \
            for (; c < d; c++) {                                                                \
                double f = k[c] / nEff, t1 = nEff * (double)dl[o + c];                          \
                double t2 = t1 - sd[c];                                                         \
                double t3 = (double)xh[o + c] * sdx[c];                                         \
                out[o + c] = (float)(f * (t2 - t3));                                            \
            }                                                                                   \
        }                                                                                       \
    }                                                                                           \
    static ATTR void bnapply##S(const float *x, const double *mean, const double *inv, const double *w, \
                             const double *b, float *xh, float *y, int n0, int n1, int d, int rr) { \
        for (int s = n0; s < n1; s++)                                                           \
            for (int c = 0; c < d; c++) {                                                       \
                long base = ((long)s * d + c) * rr;                                             \
                double mu = mean[c], k = inv[c], wc = w[c], bc = b[c];                          \
                for (int j = 0; j < rr; j++) {                                                  \
                    double h = ((double)x[base + j] - mu) * k;                                  \
                    xh[base + j] = (float)h;                                                    \
                    double t = wc * h;                                                          \
                    y[base + j] = (float)(t + bc);                                              \
                }                                                                               \
            }                                                                                   \
    }                                                                                           \
    static ATTR void bnback##S(const float *dl, const float *xh, const double *k, const double *sd, \
                            const double *sdx, double nEff, float *o, int n0, int n1, int d, int rr) { \
        for (int s = n0; s < n1; s++)                                                           \
            for (int c = 0; c < d; c++) {                                                       \
                long base = ((long)s * d + c) * rr;                                             \
                double f = k[c] / nEff, a = sd[c], m = sdx[c];                                  \
                for (int j = 0; j < rr; j++) {                                                  \
                    double t1 = nEff * (double)dl[base + j];                                    \
                    double t2 = t1 - a;                                                         \
                    double t3 = (double)xh[base + j] * m;                                       \
                    o[base + j] = (float)(f * (t2 - t3));                                       \
                }                                                                               \
            }                                                                                   \
    }

// One instance per instruction set; the generic one has no suffix (DISPATCH's default case).
BODIES(__attribute__((target("avx2,fma,avx512f,avx512vl"))) __attribute__((unused)), _avx512)
BODIES(__attribute__((target("avx2,fma"))) __attribute__((unused)), _avx2)
BODIES(__attribute__((unused)), )

#define DISPATCH(name, args) \
    switch (exp_conv_simd_level()) { case 2: name##_avx512 args; break; case 1: name##_avx2 args; break; default: name args; }

void exp_relu_forward(const float *x, float *y, long b, long e) { DISPATCH(relu_fwd, (x, y, b, e)) }
void exp_relu_backward(const float *x, const float *d, float *o, long b, long e) { DISPATCH(relu_bwd, (x, d, o, b, e)) }
void exp_channel_sum(const float *x, double *sum, int n0, int n1, int d, int rr) {
    if (rr == 1) { DISPATCH(colsum, (x, sum, n0, n1, d)) } else { DISPATCH(csum, (x, sum, n0, n1, d, rr)) }
}
void exp_channel_squared_deviation(const float *x, const double *mean, double *sum, int n0, int n1, int d, int rr) {
    if (rr == 1) { DISPATCH(colsq, (x, mean, sum, n0, n1, d)) } else { DISPATCH(csq, (x, mean, sum, n0, n1, d, rr)) }
}
void exp_channel_dot(const float *dl, const float *xh, double *sd, double *sdx, int n0, int n1, int d, int rr) {
    if (rr == 1) { DISPATCH(coldot, (dl, xh, sd, sdx, n0, n1, d)) } else { DISPATCH(cdot, (dl, xh, sd, sdx, n0, n1, d, rr)) }
}
void exp_bn_apply(const float *x, const double *mean, const double *inv, const double *w, const double *b,
                  float *xh, float *y, int n0, int n1, int d, int rr) {
    if (rr == 1) { DISPATCH(colapply, (x, mean, inv, w, b, xh, y, n0, n1, d)) }
    else { DISPATCH(bnapply, (x, mean, inv, w, b, xh, y, n0, n1, d, rr)) }
}
void exp_bn_backward(const float *dl, const float *xh, const double *k, const double *sd, const double *sdx,
                     double nEff, float *o, int n0, int n1, int d, int rr) {
    if (rr == 1) { DISPATCH(colback, (dl, xh, k, sd, sdx, nEff, o, n0, n1, d)) }
    else { DISPATCH(bnback, (dl, xh, k, sd, sdx, nEff, o, n0, n1, d, rr)) }
}

// Inference only: ReLU and batch norm (running statistics) in one pass, in either order, without
// the x̂ that exp_bn_apply writes for a backward pass (Layers' NormalizedActivation.swift: the
// fully connected layers' ReLU → BN, the residual blocks' conv → ReLU → BN).
//
// Implementation goals, in order of priority:
// 1. The bits of relu_fwd then bnapply / colapply (elementwise.c), or the reverse: the same
//    operations per value, y = (float)(w·(((double)u − μ)·invStd) + b) in Float64 without FMA
//    contraction and ReLU as x < 0 ? +0 : x (NaN and −0 kept), so no argument beyond equality.
// 2. Fast: one read and one write per value; loops the compiler vectorises; AVX-512, AVX2 and
//    generic variants (the same bits).
// Source: L. Boué, "Deep learning for pedestrians" (arXiv:1811.11987): ReLU and batch-norm
// layers; BN in inference (Ioffe & Szegedy 2015, §3.1).

#pragma STDC FP_CONTRACT OFF
#include "ckernels.h"

#define NBODY(ATTR, S)                                                                            \
    static ATTR void relubn##S(const float *x, float *y, const double *mean, const double *inv,   \
                               const double *w, const double *b, int order, int n0, int n1, int d, int rr) { \
        for (int s = n0; s < n1; s++) {                                                           \
            if (rr == 1) {   /* vectors: channels side by side */                                 \
                const float *xs = x + (long)s * d;                                                \
                float *ys = y + (long)s * d;                                                      \
                if (order == 1)                                                                   \
                    for (int c = 0; c < d; c++) {                                                 \
                        float u = xs[c] < 0 ? 0.0f : xs[c];                                       \
                        double h = ((double)u - mean[c]) * inv[c];                                \
                        double t = w[c] * h;                                                      \
                        ys[c] = (float)(t + b[c]);                                                \
                    }                                                                             \
                else                                                                              \
                    for (int c = 0; c < d; c++) {                                                 \
                        double h = ((double)xs[c] - mean[c]) * inv[c];                            \
                        double t = w[c] * h;                                                      \
                        float v = (float)(t + b[c]);                                              \
                        ys[c] = v < 0 ? 0.0f : v;                                                 \
                    }                                                                             \
                continue;                                                                         \
            }                                                                                     \
            for (int c = 0; c < d; c++) {                                                         \
                long base = ((long)s * d + c) * rr;                                               \
                double mu = mean[c], k = inv[c], wc = w[c], bc = b[c];                            \
                if (order == 1)                                                                   \
                    for (int j = 0; j < rr; j++) {                                                \
                        float u = x[base + j] < 0 ? 0.0f : x[base + j];                           \
                        double h = ((double)u - mu) * k;                                          \
                        double t = wc * h;                                                        \
                        y[base + j] = (float)(t + bc);                                            \
                    }                                                                             \
                else                                                                              \
                    for (int j = 0; j < rr; j++) {                                                \
                        double h = ((double)x[base + j] - mu) * k;                                \
                        double t = wc * h;                                                        \
                        float v = (float)(t + bc);                                                \
                        y[base + j] = v < 0 ? 0.0f : v;                                           \
                    }                                                                             \
            }                                                                                     \
        }                                                                                         \
    }

NBODY(__attribute__((target("avx2,fma,avx512f,avx512vl"))), _avx512)
NBODY(__attribute__((target("avx2,fma"))), _avx2)
NBODY(, _generic)

void exp_relu_bn_inference(const float *x, float *y, const double *mean, const double *invStd, const double *w,
                           const double *b, int order, int n0, int n1, int d, int rr) {
    switch (exp_conv_simd_level()) {
    case 2: relubn_avx512(x, y, mean, invStd, w, b, order, n0, n1, d, rr); break;
    case 1: relubn_avx2(x, y, mean, invStd, w, b, order, n0, n1, d, rr); break;
    default: relubn_generic(x, y, mean, invStd, w, b, order, n0, n1, d, rr);
    }
}

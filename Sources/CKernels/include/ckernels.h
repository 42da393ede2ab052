// Direct convolution kernels for small channel counts (Float32, stride 1, no padding).
// Imported by Tensor only (DirectConvolution.swift), which documents shapes and sources.
#ifndef EXP_CKERNELS_H
#define EXP_CKERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when the fast kernels apply: stride 1, padding 0, output width a multiple of 8.
int exp_conv_supported(int width, int kernel);

/// Forward, samples [n0, n1): out[s][o] = b[o] + Σ_{c,ky,kx} w[o][c][ky][kx] · in[s][c][y+ky][x+kx].
/// in: n×C×H×W, w: O×C×K×K, b: O, out: n×O×(H−K+1)×(W−K+1).
void exp_conv_forward(const float *in, const float *w, const float *b, float *out,
                      int n0, int n1, int C, int H, int W, int O, int K);

/// Floats of scratch space exp_conv_weight_gradient needs (per concurrent call).
long exp_conv_weight_gradient_scratch(int C, int H, int W, int O, int K);

/// Weight and bias gradient of samples [n0, n1), added in Float64 to partial (caller-zeroed,
/// O·C·K·K + O doubles): partial[o][c][ky][kx] += Σ delta[s][o][y][x] · in[s][c][y+ky][x+kx],
/// partial[O·C·K·K + o] += Σ delta[s][o][y][x]. Order: O % 16 == 0 (K = 5): per sample an FMA
/// chain over y, x from +0, then added in Float64, samples in order; otherwise 8 lanes by
/// x mod 8 (FMA chains over samples, rows, chunks), then added lane by lane in Float64.
/// scratch: exp_conv_weight_gradient_scratch floats, 8-byte aligned.
void exp_conv_weight_gradient(const float *in, const float *delta, double *partial, float *scratch,
                              int n0, int n1, int C, int H, int W, int O, int K);

/// The instruction-set level all kernels here run: 2 AVX-512, 1 AVX2 + FMA, 0 generic (all give
/// the same bits). At most the limit set by exp_conv_limit_simd (default 2).
int exp_conv_simd_level(void);
/// Caps the level (tests compare the paths); not thread-safe against running kernels.
void exp_conv_limit_simd(int level);

/// Floats of scratch space exp_conv_input_error needs (the zero-padded delta of one sample).
long exp_conv_input_error_scratch(int H, int W, int O, int K);

/// Input error, samples [n0, n1): dIn[s][c][yy][xx] = Σ_{o,ky,kx} w[o][c][ky][kx] · delta[s][o][yy−ky][xx−kx]
/// (the full correlation with the 180°-rotated kernels), summed over o, then ky, then kx; any
/// shape (stride 1, no padding).
/// dIn: n×C×H×W (overwritten); scratch: exp_conv_input_error_scratch floats.
void exp_conv_input_error(const float *delta, const float *w, float *dIn, float *scratch,
                          int n0, int n1, int C, int H, int W, int O, int K);

#ifdef __cplusplus
}
#endif
#endif

#ifndef EXP_CKERNELS_ELEMENTWISE_H
#define EXP_CKERNELS_ELEMENTWISE_H
#ifdef __cplusplus
extern "C" {
#endif

/// ReLU forward on [begin, end): y = x < 0 ? 0 : x (NaN propagates).
void exp_relu_forward(const float *x, float *y, long begin, long end);
/// ReLU backward on [begin, end): out = x > 0 ? delta : 0 (g′(0) = 0).
void exp_relu_backward(const float *x, const float *delta, float *out, long begin, long end);

/// 2×2 max pooling, stride 2, planes [p0, p1) of h×w (h, w even): out and argmax (flat input
/// index) per output cell; ties go to the first maximum in row-major order; a NaN wins. argmax
/// NULL: the values only (the same bits; inference, where no backward follows).
void exp_maxpool2_forward(const float *x, float *out, long *argmax, long p0, long p1, int h, int w);
/// Max-pooling backward for non-overlapping windows on output cells [begin, end):
/// out[argmax[j]] += delta[j] (out zeroed by the caller).
void exp_maxpool_backward(const float *delta, const long *argmax, float *out, long begin, long end);

/// Inference: 2×2 stride-2 max pooling fused with the ReLU and batch norm before it, samples
/// [n0, n1) of n×d×h×w data (h, w even) → n×d×(h/2)×(w/2). order 0: pool(ReLU(x)); 1:
/// pool(BN(ReLU(x))); 2: pool(ReLU(BN(x))), BN(u) = (float)(w[c]·((u − mean[c])·invStd[c]) + b[c])
/// in Float64 as exp_bn_apply (mean, invStd, w, b: d doubles, NULL for order 0). The same bits as
/// the three layers one after the other (pool_inference.c says why).
void exp_pool2_activation_inference(const float *x, float *out, const double *mean, const double *invStd,
                                    const double *w, const double *b, int order, long n0, long n1, int d,
                                    int h, int wd);

/// Inference: ReLU and batch norm in one pass over samples [n0, n1) of n×d×rr data (rr = 1:
/// n×d vectors): order 1 y = BN(ReLU(x)), 2 y = ReLU(BN(x)), BN as exp_bn_apply's y (no x̂
/// written); the bits of the two kernels one after the other.
void exp_relu_bn_inference(const float *x, float *y, const double *mean, const double *invStd, const double *w,
                           const double *b, int order, int n0, int n1, int d, int rr);

/// Per channel, samples [n0, n1) of n×d×rr data: sum[c] = Σ x (Float64, fixed order: 16 lanes
/// by position, combined pairwise; for rr = 1 (vectors) one chain over the samples).
void exp_channel_sum(const float *x, double *sum, int n0, int n1, int d, int rr);
/// sum[c] = Σ (x − mean[c])² (Float64).
void exp_channel_squared_deviation(const float *x, const double *mean, double *sum, int n0, int n1, int d, int rr);
/// sumD[c] = Σ delta, sumDX[c] = Σ delta · xhat (Float64).
void exp_channel_dot(const float *delta, const float *xhat, double *sumD, double *sumDX, int n0, int n1, int d, int rr);
/// Batch-norm apply: h = (x − mean[c])·invStd[c] (Float64), xhat = (float)h, y = (float)(w[c]·h + b[c]).
void exp_bn_apply(const float *x, const double *mean, const double *invStd, const double *w, const double *b,
                  float *xhat, float *y, int n0, int n1, int d, int rr);
/// Batch-norm backward (training): out = (float)(k[c]/nEff·(nEff·delta − sumD[c] − xhat·sumDX[c])).
void exp_bn_backward(const float *delta, const float *xhat, const double *k, const double *sumD,
                     const double *sumDX, double nEff, float *out, int n0, int n1, int d, int rr);

#ifdef __cplusplus
}
#endif
#endif

/// glibc: keep freed blocks up to 32 MiB (the maximum glibc accepts) in the heap and trim only above 1 GiB (no-op elsewhere).
void exp_keep_freed_memory(void);

/// A part of a two-part parallel loop: fn(ctx, part), part ∈ {0, 1}.
typedef void (*exp_part_fn)(void *ctx, int part);
/// Runs fn(ctx, 0) on the calling thread and fn(ctx, 1) on a helper thread (spinning briefly
/// between tasks), and returns when both are done; runs both here if the helper is busy.
void exp_parallel_two(exp_part_fn fn, void *ctx);

/// Rows [m0, m1) of C (N columns, row stride ldc) = (accumulate ? C : 0) + Σ_k A(m,k)·B[k][:]
/// (+ bias[:] when bias is non-null), A(m,k) = a[m·rsA + k·csA], B row-major with stride ldb.
/// Each output: an FMA chain over k ascending from +0, then + C, then + bias.
void exp_gemm(const float *a, long rsA, long csA, const float *b, long ldb, float *c, long ldc,
              int m0, int m1, int N, int K, const float *bias, int accumulate);

/// dst (cols×rows) = srcᵗ, src rows×cols, row-major.
void exp_transpose(const float *src, float *dst, int rows, int cols);

/// 2×2 stride-2 max-pooling backward on planes [p0, p1) of h×w (h, w even): every input cell
/// written once (0, or 0 + delta at the window's argmax); out need not be zeroed.
void exp_maxpool2_backward(const float *delta, const long *argmax, float *out, long p0, long p1, int h, int w);

/// Gathered rows through a byte table, rows [r0, r1): out[r·len + j] = table[src[rows[r]·len + j]]
/// (a copy of the table's Float; the same bits on every path). src: rows of len bytes; table:
/// 256 floats; out: (r1)·len floats (row r at r·len).
void exp_lookup_rows(const unsigned char *src, const long *rows, long len, const float *table,
                     float *out, long r0, long r1);

/// Whether exp_lookup_rows takes its AVX512_VBMI path: the CPU has AVX512BW and AVX512_VBMI, the
/// AVX-512 level is in use (exp_conv_simd_level() == 2) and exp_lookup_allow_vbmi has not
/// switched it off (tests compare both paths).
int exp_lookup_uses_vbmi(void);

/// Allows (1, the default) or forbids (0) exp_lookup_rows' AVX512_VBMI path.
void exp_lookup_allow_vbmi(int allowed);

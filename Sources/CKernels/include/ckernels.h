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

/// Weight-gradient lanes, samples [n0, n1): lanes[o][c][ky][kx][l] += Σ over samples, rows and
/// the output columns x ≡ l (mod 8) of delta[s][o][y][x] · in[s][c][y+ky][x+kx].
/// lanes: O×C×K×K×8 (caller-zeroed). Also biasLanes[o][l] += Σ delta[s][o][y][x ≡ l].
void exp_conv_weight_lanes(const float *in, const float *delta, float *lanes, float *biasLanes,
                           int n0, int n1, int C, int H, int W, int O, int K);

/// Floats of scratch space exp_conv_input_error needs (one zero-padded sample of delta).
long exp_conv_input_error_scratch(int H, int W, int O, int K);

/// Input error, samples [n0, n1): dIn[s][c][yy][xx] = Σ_{o,ky,kx} w[o][c][ky][kx] · delta[s][o][yy−ky][xx−kx]
/// (the full correlation with the 180°-rotated kernels), summed over o, then ky, then kx.
/// dIn: n×C×H×W (overwritten); scratch: exp_conv_input_error_scratch floats.
void exp_conv_input_error(const float *delta, const float *w, float *dIn, float *scratch,
                          int n0, int n1, int C, int H, int W, int O, int K);

#ifdef __cplusplus
}
#endif
#endif

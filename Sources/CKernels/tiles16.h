// 16-wide loops of conv.c (one zmm register on AVX-512; two ymm or scalar code elsewhere, with
// the same per-element fused multiply-adds, hence the same bits):
// - fwd_o16: forward with a register holding 16 output channels of one position;
// - grad_o16: weight and bias gradient with a register holding 16 output channels;
// - fwd_w16, lanes_w16: forward and weight lanes on rows of 16-wide chunks and an 8-wide one
//   (24 = 16 + 8 for 1→6 on 28×28);
// - input_k5w8: input error of 12×12 planes with 5×5 kernels (6→16), as products with Δ then
//   shifted adds;
// - input_flat: input error over each plane flattened into 16-element chunks (other shapes).
// Summation order per output: bias, then c, ky, kx (forward, as fwd_all in tiles.h); per
// sample an FMA chain over y, x from +0, added in Float64, samples in order (gradient);
// o, ky, kx (input_flat); ky, kx of chains over o (input_k5w8). None depends on the tile sizes
// or the instruction set.

#ifndef EXP_CKERNELS_TILES16_H
#define EXP_CKERNELS_TILES16_H

typedef float v16 __attribute__((vector_size(64), aligned(4)));
typedef float v8f __attribute__((vector_size(32), aligned(4)));
typedef double v8d __attribute__((vector_size(64), aligned(8)));

#define AI16 static inline __attribute__((always_inline))
#define FMA16(a, b, c) __builtin_elementwise_fma((a), (b), (c))
#define SPLAT16(x) ((v16){x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x})
#define LOAD16(p) (*(const v16 *)(p))
#define STORE16(p, v) (*(v16 *)(p) = (v))
#define LOAD8F(p) (*(const v8f *)(p))
#define STORE8F(p, v) (*(v8f *)(p) = (v))
#define LO8(v) __builtin_shufflevector((v), (v), 0, 1, 2, 3, 4, 5, 6, 7)
#define HI8(v) __builtin_shufflevector((v), (v), 8, 9, 10, 11, 12, 13, 14, 15)
#define CAT8(a, b) __builtin_shufflevector((a), (b), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)

// One butterfly of the 16×16 transpose: rows i and i+d swap their off-diagonal d-blocks.
#define BUTTERFLY(r, i, d, lo, hi)                                                              \
    { v16 a_ = r[i], b_ = r[i + d]; r[i] = __builtin_shufflevector(a_, b_, lo); r[i + d] = __builtin_shufflevector(a_, b_, hi); }
#define LO_8 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23
#define HI_8 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31
#define LO_4 0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27
#define HI_4 4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31
#define LO_2 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29
#define HI_2 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31
#define LO_1 0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30
#define HI_1 1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31

/// r[i][j] ← r[j][i] (data movement only).
AI16 void transpose16(v16 r[16]) {
    for (int i = 0; i < 16; i++) if (!(i & 8)) BUTTERFLY(r, i, 8, LO_8, HI_8)
    for (int i = 0; i < 16; i++) if (!(i & 4)) BUTTERFLY(r, i, 4, LO_4, HI_4)
    for (int i = 0; i < 16; i++) if (!(i & 2)) BUTTERFLY(r, i, 2, LO_2, HI_2)
    for (int i = 0; i < 16; i++) if (!(i & 1)) BUTTERFLY(r, i, 1, LO_1, HI_1)
}

/// out[s][o][y][x] = b[o] + Σ_{c,ky,kx} w[o][c][ky][kx] · in[s][c][y+ky][x+kx], for O % 16 == 0,
/// OH even, OW % 8 == 0. wT: the weights as [c][ky][kx][o]. Tiles of 16 channels × (2 rows × 8).
AI16 void fwd_o16(const float *in, const float *wT, const float *b, float *out, int n0, int n1,
                  int C, int H, int W, int O, const int K) {
    int OH = H - K + 1, OW = W - K + 1;
    for (int s = n0; s < n1; s++)
        for (int o0 = 0; o0 < O; o0 += 16)
            for (int y0 = 0; y0 < OH; y0 += 2)
                for (int x0 = 0; x0 < OW; x0 += 8) {
                    v16 acc[16], bias = LOAD16(b + o0);
                    for (int t = 0; t < 16; t++) acc[t] = bias;
                    for (int c = 0; c < C; c++)
                        for (int ky = 0; ky < K; ky++) {
                            const float *r0 = in + (((long)s * C + c) * H + y0 + ky) * W + x0;
                            const float *wr = wT + ((long)c * K + ky) * K * O + o0;
                            for (int kx = 0; kx < K; kx++) {
                                v16 wv = LOAD16(wr + (long)kx * O);
                                for (int t = 0; t < 8; t++) acc[t] = FMA16(wv, SPLAT16(r0[t + kx]), acc[t]);
                                for (int t = 0; t < 8; t++) acc[8 + t] = FMA16(wv, SPLAT16(r0[W + t + kx]), acc[8 + t]);
                            }
                        }
                    transpose16(acc);   // acc[o] = positions (y0, x0..x0+7), (y0+1, x0..x0+7)
                    for (int o = 0; o < 16; o++) {
                        float *dst = out + (((long)s * O + o0 + o) * OH + y0) * OW + x0;
                        STORE8F(dst, LO8(acc[o]));
                        STORE8F(dst + OW, HI8(acc[o]));
                    }
                }
}

/// acc[i] += (double)v[i], 16 doubles at acc (a macro: no vector arguments in generic code).
#define add_f64(acc, v)                                                                         \
    {                                                                                           \
        double *a_ = (acc);                                                                     \
        v16 v_ = (v);                                                                           \
        *(v8d *)a_ = *(v8d *)a_ + __builtin_convertvector(LO8(v_), v8d);                        \
        *(v8d *)(a_ + 8) = *(v8d *)(a_ + 8) + __builtin_convertvector(HI8(v_), v8d);            \
    }

/// For O % 16 == 0, OH even, OW % 8 == 0, K ≤ 5: gT[c][ky][kx][o] += Σ_s (double)(Σ_{y,x} delta[s][o][y][x] ·
/// in[s][c][y+ky][x+kx]) and gB[o] += Σ_s (double)(Σ_{y,x} delta[s][o][y][x]); each inner sum an FMA
/// chain (adds for gB) over y, then x, from +0. dT: OH·OW·16 floats of scratch.
AI16 void grad_o16(const float *in, const float *delta, double *gT, double *gB, float *dT, int n0, int n1,
                   int C, int H, int W, int O, const int K) {
    int OH = H - K + 1, OW = W - K + 1, P = OH * OW;
    for (int s = n0; s < n1; s++)
        for (int o0 = 0; o0 < O; o0 += 16) {
            for (int y0 = 0; y0 < OH; y0 += 2)          // dT[y][x][o] = delta[s][o0 + o][y][x]
                for (int x0 = 0; x0 < OW; x0 += 8) {
                    v16 r[16];
                    for (int o = 0; o < 16; o++) {
                        const float *src = delta + (((long)s * O + o0 + o) * OH + y0) * OW + x0;
                        r[o] = CAT8(LOAD8F(src), LOAD8F(src + OW));
                    }
                    transpose16(r);
                    for (int t = 0; t < 16; t++) STORE16(dT + ((long)(y0 + t / 8) * OW + x0 + t % 8) * 16, r[t]);
                }
            v16 bacc = SPLAT16(0.0f);
            for (int p = 0; p < P; p++) bacc = bacc + LOAD16(dT + (long)p * 16);
            add_f64(gB + o0, bacc);
            for (int c = 0; c < C; c++) {
                v16 acc[25];   // K·K ≤ 25 used (fixed size: the array must live in registers)
                for (int t = 0; t < K * K; t++) acc[t] = SPLAT16(0.0f);
                const float *plane = in + ((long)s * C + c) * H * W;
                for (int y = 0; y < OH; y++)
                    for (int x = 0; x < OW; x++) {
                        v16 d = LOAD16(dT + ((long)y * OW + x) * 16);
                        const float *ip = plane + (long)y * W + x;
                        for (int ky = 0; ky < K; ky++)
                            for (int kx = 0; kx < K; kx++)
                                acc[ky * K + kx] = FMA16(d, SPLAT16(ip[ky * W + kx]), acc[ky * K + kx]);
                    }
                for (int t = 0; t < K * K; t++) add_f64(gT + ((long)c * K * K + t) * O + o0, acc[t]);
            }
        }
}

/// Forward for rows of OW = 16·NV16 + 8·NV8 outputs (NV8 ∈ {0, 1}): tiles of OB outputs × YB rows,
/// 16-wide chunks and an 8-wide one; the order of sums is fwd_all's (bias, then c, ky, kx).
AI16 void fwd_w16(const float *in, const float *w, const float *b, float *out, int n0, int n1, int C, int H,
                  int W, int O, const int K, const int OB, const int YB, const int NV16, const int NV8) {
    int OH = H - K + 1, OW = W - K + 1;
    for (int s = n0; s < n1; s++)
        for (int o0 = 0; o0 < O; o0 += OB)
            for (int y0 = 0; y0 < OH; y0 += YB) {
                v16 acc[24];    // OB·YB·NV16 ≤ 24 used
                v8f acc8[12];   // OB·YB·NV8 ≤ 12 used
                for (int i = 0; i < OB; i++)
                    for (int t = 0; t < YB; t++) {
                        for (int j = 0; j < NV16; j++) acc[(i * YB + t) * NV16 + j] = SPLAT16(b[o0 + i]);
                        if (NV8) acc8[i * YB + t] = LO8(SPLAT16(b[o0 + i]));
                    }
                for (int c = 0; c < C; c++)
                    for (int ky = 0; ky < K; ky++) {
                        const float *row0 = in + (((long)s * C + c) * H + y0 + ky) * W;
                        for (int kx = 0; kx < K; kx++) {
                            v16 wv[6];   // OB ≤ 6
                            for (int i = 0; i < OB; i++) wv[i] = SPLAT16(w[(((long)(o0 + i) * C + c) * K + ky) * K + kx]);
                            for (int t = 0; t < YB; t++) {
                                for (int j = 0; j < NV16; j++) {
                                    v16 x = LOAD16(row0 + t * W + kx + 16 * j);
                                    for (int i = 0; i < OB; i++)
                                        acc[(i * YB + t) * NV16 + j] = FMA16(wv[i], x, acc[(i * YB + t) * NV16 + j]);
                                }
                                if (NV8) {
                                    v8f x = LOAD8F(row0 + t * W + kx + 16 * NV16);
                                    for (int i = 0; i < OB; i++) acc8[i * YB + t] = FMA16(LO8(wv[i]), x, acc8[i * YB + t]);
                                }
                            }
                        }
                    }
                for (int i = 0; i < OB; i++)
                    for (int t = 0; t < YB; t++) {
                        float *dst = out + (((long)s * O + o0 + i) * OH + y0 + t) * OW;
                        for (int j = 0; j < NV16; j++) STORE16(dst + 16 * j, acc[(i * YB + t) * NV16 + j]);
                        if (NV8) STORE8F(dst + 16 * NV16, acc8[i * YB + t]);
                    }
            }
}

/// Weight lanes for rows of OW = 16·NV16 + 8·NV8 (NV8 ∈ {0, 1}), 16·(NV16 > 0) + 8·NV8 lanes per
/// weight: lanes[o][c][ky][kx][l] += Σ_{s,y,chunks} delta[s][o][y][x] · in[s][c][y+ky][x+kx] with
/// l = x mod 16 for the 16-wide chunks, l = 16 + x mod 8 for the 8-wide one. FMA chains over
/// samples, rows, chunks (the same for every OB).
AI16 void lanes_w16(const float *in, const float *delta, float *lanes, int n0, int n1, int C, int H, int W, int O,
                    const int OB, const int K, const int NV16, const int NV8) {
    int OH = H - K + 1, OW = W - K + 1, L = 16 * (NV16 > 0) + 8 * NV8;
    for (int s = n0; s < n1; s++)
        for (int c = 0; c < C; c++)
            for (int ky = 0; ky < K; ky++)
                for (int o0 = 0; o0 < O; o0 += OB) {
                    v16 acc[10];    // OB·K ≤ 10 used
                    v8f acc8[10];
                    for (int i = 0; i < OB; i++)
                        for (int kx = 0; kx < K; kx++) {
                            float *lp = lanes + ((((long)(o0 + i) * C + c) * K + ky) * K + kx) * L;
                            if (NV16) acc[i * K + kx] = LOAD16(lp);
                            if (NV8) acc8[i * K + kx] = LOAD8F(lp + 16 * (NV16 > 0));
                        }
                    const float *ip = in + (((long)s * C + c) * H + ky) * W;
                    for (int y = 0; y < OH; y++) {
                        for (int j = 0; j < NV16; j++) {
                            v16 x[5];   // K ≤ 5
                            for (int kx = 0; kx < K; kx++) x[kx] = LOAD16(ip + y * W + 16 * j + kx);
                            for (int i = 0; i < OB; i++) {
                                v16 d = LOAD16(delta + (((long)s * O + o0 + i) * OH + y) * OW + 16 * j);
                                for (int kx = 0; kx < K; kx++) acc[i * K + kx] = FMA16(d, x[kx], acc[i * K + kx]);
                            }
                        }
                        if (NV8) {
                            v8f x[5];
                            for (int kx = 0; kx < K; kx++) x[kx] = LOAD8F(ip + y * W + 16 * NV16 + kx);
                            for (int i = 0; i < OB; i++) {
                                v8f d = LOAD8F(delta + (((long)s * O + o0 + i) * OH + y) * OW + 16 * NV16);
                                for (int kx = 0; kx < K; kx++) acc8[i * K + kx] = FMA16(d, x[kx], acc8[i * K + kx]);
                            }
                        }
                    }
                    for (int i = 0; i < OB; i++)
                        for (int kx = 0; kx < K; kx++) {
                            float *lp = lanes + ((((long)(o0 + i) * C + c) * K + ky) * K + kx) * L;
                            if (NV16) STORE16(lp, acc[i * K + kx]);
                            if (NV8) STORE8F(lp + 16 * (NV16 > 0), acc8[i * K + kx]);
                        }
                }
}

// Lanes kx … kx+7 of a 16-wide row from half h (0: lanes 0–7, 1: lanes 8–15) of t, zeros elsewhere.
#define SHIFT_LANE(l, h, kx) ((l) >= (kx) && (l) < (kx) + 8 ? (l) - (kx) + 8 * (h) : 16)
#define SHIFT_IDX(h, kx)                                                                        \
    SHIFT_LANE(0, h, kx), SHIFT_LANE(1, h, kx), SHIFT_LANE(2, h, kx), SHIFT_LANE(3, h, kx),     \
    SHIFT_LANE(4, h, kx), SHIFT_LANE(5, h, kx), SHIFT_LANE(6, h, kx), SHIFT_LANE(7, h, kx),     \
    SHIFT_LANE(8, h, kx), SHIFT_LANE(9, h, kx), SHIFT_LANE(10, h, kx), SHIFT_LANE(11, h, kx),   \
    SHIFT_LANE(12, h, kx), SHIFT_LANE(13, h, kx), SHIFT_LANE(14, h, kx), SHIFT_LANE(15, h, kx)
#define ADD_SHIFTED(p, kx)                                                                      \
    plane[2 * (p) + ky] += __builtin_shufflevector(T[p][kx], zero, SHIFT_IDX(0, kx));           \
    plane[2 * (p) + 1 + ky] += __builtin_shufflevector(T[p][kx], zero, SHIFT_IDX(1, kx));
#define ADD_ROWS(p) ADD_SHIFTED(p, 0) ADD_SHIFTED(p, 1) ADD_SHIFTED(p, 2) ADD_SHIFTED(p, 3) ADD_SHIFTED(p, 4)

/// Input error for 12×12 planes, K = 5 (Δ 8×8): per channel c and kernel row ky, the products
/// T[ky][kx] = Σ_o w[o][c][ky][kx] · Δ[o] (FMA chains over o from +0, 16 outputs of two Δ rows per
/// register), then dIn[c][y+ky][x+kx] += T[ky][kx][y][x], ky then kx ascending, into rows of
/// 16 lanes from +0 (lanes outside the row add exact zeros). Every product is one the full
/// correlation needs: 9,600 FMAs per sample for 6→16 against 18,720 over the flattened planes.
AI16 void input_k5w8(const float *delta, const float *w, float *dIn, int n0, int n1, int C, int O) {
    enum { H = 12, W = 12, K = 5, P = 64 };
    const v16 zero = SPLAT16(0.0f);
    for (int s = n0; s < n1; s++)
        for (int c = 0; c < C; c++) {
            v16 plane[H];
            for (int r = 0; r < H; r++) plane[r] = zero;
            for (int ky = 0; ky < K; ky++) {
                v16 T[4][5];
                for (int p = 0; p < 4; p++)
                    for (int kx = 0; kx < K; kx++) T[p][kx] = zero;
                for (int o = 0; o < O; o++) {
                    const float *dp = delta + ((long)s * O + o) * P;
                    const float *wp = w + (((long)o * C + c) * K + ky) * K;
                    v16 d[4];
                    for (int p = 0; p < 4; p++) d[p] = LOAD16(dp + 16 * p);
                    for (int kx = 0; kx < K; kx++) {
                        v16 wv = SPLAT16(wp[kx]);
                        for (int p = 0; p < 4; p++) T[p][kx] = FMA16(wv, d[p], T[p][kx]);
                    }
                }
                ADD_ROWS(0) ADD_ROWS(1) ADD_ROWS(2) ADD_ROWS(3)
            }
            float *dst = dIn + ((long)s * C + c) * H * W;
            for (int r = 0; r < H - 1; r++) STORE16(dst + r * W, plane[r]);   // lanes 12–15: the next row, rewritten next
            STORE8F(dst + (H - 1) * W, LO8(plane[H - 1]));
            for (int l = 8; l < W; l++) dst[(H - 1) * W + l] = plane[H - 1][l];
        }
}

/// Floats per output channel of input_flat's zero-padded Δ: rows of width W with Δ's OW columns
/// at K−1 (the wrap into the next row supplies the right padding), K−1 zero rows above and K
/// below, and room for the last chunk's reads.
static inline long flat_delta_stride(int H, int W, int K) {
    int OH = H - K + 1;
    long chunks = ((long)H * W + 15) / 16;
    long rows = (long)(OH + 2 * K - 1) * W, reads = chunks * 16 + (long)(K - 1) * (W + 1);
    return (rows > reads ? rows : reads) + 16;
}

/// dIn[s][c][yy][xx] = Σ_{o,ky,kx} w[o][c][ky][kx] · Δpad[o][yy−ky+K−1][xx−kx+K−1] on each plane
/// flattened: the chunk p..p+15 of plane c reads Δpad at p + (K−1)(W+1) − ky·W − kx. Tiles of
/// CB channels × PB chunks; a tile visits only the ky whose Δ rows meet its rows (the other
/// products are exact zeros, and a sum started at +0 does not change by adding them).
/// D: O·flat_delta_stride floats of scratch.
AI16 void input_flat(const float *delta, const float *w, float *dIn, float *D, int n0, int n1,
                     int C, int H, int W, int O, const int K, const int CB, const int PB) {
    int OH = H - K + 1, OW = W - K + 1, HW = H * W, chunks = (HW + 15) / 16;
    long DS = flat_delta_stride(H, W, K), off0 = (long)(K - 1) * (W + 1);
    for (long i = 0; i < (long)O * DS; i++) D[i] = 0;
    for (int s = n0; s < n1; s++) {
        for (int o = 0; o < O; o++)
            for (int y = 0; y < OH; y++) {
                const float *src = delta + (((long)s * O + o) * OH + y) * OW;
                float *dst = D + o * DS + (long)(y + K - 1) * W + K - 1;
                for (int x = 0; x < OW; x++) dst[x] = src[x];
            }
        for (int c0 = 0; c0 < C; c0 += CB)
            for (int g = 0; g < chunks; g += PB) {
                int p0 = 16 * g, last = p0 + 16 * PB - 1 < HW - 1 ? p0 + 16 * PB - 1 : HW - 1;
                int y0 = p0 / W, y1 = last / W;
                int kyLo = y0 - OH + 1 > 0 ? y0 - OH + 1 : 0, kyHi = y1 < K - 1 ? y1 : K - 1;
                v16 acc[6 * 3];   // CB·PB ≤ 18 used (fixed size: the array must live in registers)
                for (int t = 0; t < CB * PB; t++) acc[t] = SPLAT16(0.0f);
                for (int o = 0; o < O; o++)
                    for (int ky = kyLo; ky <= kyHi; ky++) {
                        const float *src = D + o * DS + p0 + off0 - (long)ky * W;
                        const float *wp = w + ((long)o * C + c0) * K * K + ky * K;
                        for (int kx = 0; kx < K; kx++) {
                            v16 x[3];
                            for (int j = 0; j < PB; j++) x[j] = LOAD16(src + 16 * j - kx);
                            for (int i = 0; i < CB; i++) {
                                v16 wv = SPLAT16(wp[(long)i * K * K + kx]);
                                for (int j = 0; j < PB; j++) acc[i * PB + j] = FMA16(wv, x[j], acc[i * PB + j]);
                            }
                        }
                    }
                for (int i = 0; i < CB; i++) {
                    float *dst = dIn + ((long)s * C + c0 + i) * HW;
                    for (int j = 0; j < PB; j++) {
                        int p = p0 + 16 * j;
                        if (p + 16 <= HW) STORE16(dst + p, acc[i * PB + j]);
                        else if (p < HW) {
                            float row[16];
                            STORE16(row, acc[i * PB + j]);
                            for (int t = 0; p + t < HW; t++) dst[p + t] = row[t];
                        }
                    }
                }
            }
    }
}

#endif

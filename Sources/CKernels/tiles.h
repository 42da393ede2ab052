// Register-tiled loops of conv.c, inlined into each instruction-set variant with constant tile
// sizes (OB outputs × YB rows × NCH 8-wide chunks), so that the accumulator arrays live in
// registers. Summation order per output: bias, then c, ky, kx (forward); samples, rows, chunks
// per lane (weight lanes); o, ky, kx (input error) — the same for every tile choice.

#ifndef EXP_CKERNELS_TILES_H
#define EXP_CKERNELS_TILES_H

typedef float v8 __attribute__((vector_size(32), aligned(4)));

#define AI static inline __attribute__((always_inline))
#define FMA(a, b, c) __builtin_elementwise_fma((a), (b), (c))
#define SPLAT(x) ((v8){x, x, x, x, x, x, x, x})
#define LOAD(p) (*(const v8 *)(p))
#define STORE(p, v) (*(v8 *)(p) = (v))

/// out[s][o][y][x] = b[o] + Σ_{c,ky,kx} w[o][c][ky][kx] · in[s][c][y+ky][x+kx].
AI void fwd_all(const float *in, const float *w, const float *b, float *out, int n0, int n1,
                int C, int H, int W, int O, int K, const int OB, const int YB, const int NCH) {
    int OH = H - K + 1, OW = W - K + 1;
    for (int s = n0; s < n1; s++)
        for (int o0 = 0; o0 < O; o0 += OB)
            for (int y0 = 0; y0 < OH; y0 += YB) {
                v8 acc[OB * YB * NCH];
                for (int i = 0; i < OB; i++)
                    for (int t = 0; t < YB * NCH; t++) acc[i * YB * NCH + t] = SPLAT(b[o0 + i]);
                for (int c = 0; c < C; c++)
                    for (int ky = 0; ky < K; ky++) {
                        const float *row0 = in + (((long)s * C + c) * H + y0 + ky) * W;
                        for (int kx = 0; kx < K; kx++) {
                            v8 wv[OB];
                            for (int i = 0; i < OB; i++) wv[i] = SPLAT(w[(((long)(o0 + i) * C + c) * K + ky) * K + kx]);
                            for (int yi = 0; yi < YB; yi++)
                                for (int j = 0; j < NCH; j++) {
                                    v8 x = LOAD(row0 + yi * W + kx + 8 * j);
                                    for (int i = 0; i < OB; i++)
                                        acc[(i * YB + yi) * NCH + j] = FMA(wv[i], x, acc[(i * YB + yi) * NCH + j]);
                                }
                        }
                    }
                for (int i = 0; i < OB; i++)
                    for (int yi = 0; yi < YB; yi++)
                        for (int j = 0; j < NCH; j++)
                            STORE(out + (((long)s * O + o0 + i) * OH + y0 + yi) * OW + 8 * j, acc[(i * YB + yi) * NCH + j]);
            }
}

/// biasLanes[o][l] += Σ_{s,y,chunks} delta[s][o][y][8·chunk + l].
AI void bias_lanes(const float *delta, float *biasLanes, int n0, int n1, int H, int W, int O, int K) {
    int plane = (H - K + 1) * (W - K + 1);
    for (int s = n0; s < n1; s++)
        for (int o = 0; o < O; o++) {
            const float *dp = delta + ((long)s * O + o) * plane;
            v8 acc = LOAD(biasLanes + 8 * o);
            for (int i = 0; i < plane / 8; i++) acc = acc + LOAD(dp + 8 * i);
            STORE(biasLanes + 8 * o, acc);
        }
}

/// lanes[o][c][ky][kx][l] += Σ_{s,y,chunks} delta[s][o][y][8·chunk+l] · in[s][c][y+ky][8·chunk+l+kx].
AI void lanes_all(const float *in, const float *delta, float *lanes, int n0, int n1, int C, int H,
                  int W, int O, const int OB, const int K, const int NCH) {
    int OH = H - K + 1, OW = W - K + 1;
    for (int s = n0; s < n1; s++)
        for (int c = 0; c < C; c++)
            for (int ky = 0; ky < K; ky++)
                for (int o0 = 0; o0 < O; o0 += OB) {
                    v8 acc[OB * K];
                    for (int i = 0; i < OB; i++)
                        for (int kx = 0; kx < K; kx++)
                            acc[i * K + kx] = LOAD(lanes + ((((long)(o0 + i) * C + c) * K + ky) * K + kx) * 8);
                    const float *ip = in + (((long)s * C + c) * H + ky) * W;
                    for (int y = 0; y < OH; y++)
                        for (int j = 0; j < NCH; j++) {
                            v8 x[K];
                            for (int kx = 0; kx < K; kx++) x[kx] = LOAD(ip + y * W + 8 * j + kx);
                            for (int i = 0; i < OB; i++) {
                                v8 d = LOAD(delta + (((long)s * O + o0 + i) * OH + y) * OW + 8 * j);
                                for (int kx = 0; kx < K; kx++) acc[i * K + kx] = FMA(d, x[kx], acc[i * K + kx]);
                            }
                        }
                    for (int i = 0; i < OB; i++)
                        for (int kx = 0; kx < K; kx++)
                            STORE(lanes + ((((long)(o0 + i) * C + c) * K + ky) * K + kx) * 8, acc[i * K + kx]);
                }
}

/// lanes_all for any K and NCH (no tiling; the same order of sums).
AI void lanes_plain(const float *in, const float *delta, float *lanes, int n0, int n1, int C, int H,
                    int W, int O, int K) {
    int OH = H - K + 1, OW = W - K + 1, NCH = OW / 8;
    for (int s = n0; s < n1; s++)
        for (int c = 0; c < C; c++)
            for (int ky = 0; ky < K; ky++)
                for (int o = 0; o < O; o++)
                    for (int kx = 0; kx < K; kx++) {
                        float *lp = lanes + ((((long)o * C + c) * K + ky) * K + kx) * 8;
                        v8 acc = LOAD(lp);
                        for (int y = 0; y < OH; y++)
                            for (int j = 0; j < NCH; j++)
                                acc = FMA(LOAD(delta + (((long)s * O + o) * OH + y) * OW + 8 * j),
                                          LOAD(in + (((long)s * C + c) * H + y + ky) * W + 8 * j + kx), acc);
                        STORE(lp, acc);
                    }
}

/// dIn[s][c][yy][xx] = Σ_{o,ky,kx} w[o][c][ky][kx] · Δpad[o][yy−ky+K−1][xx−kx+K−1], Δpad = Δ with
/// K−1 zeros around (scratch: O × (H+K−1) × (8·NCHX+K−1)); rows computed 8·NCHX wide, W stored.
/// One output row at a time for CB channels: only the ky whose Δ row exists are visited (the
/// skipped terms are exact zeros, and adding a zero product does not change a sum that started
/// at +0: the order of the remaining terms is o, ky, kx as before).
AI void input_all(const float *delta, const float *w, float *dIn, float *scratch, int n0, int n1,
                  int C, int H, int W, int O, int K, const int CB, const int NCHX) {
    int OH = H - K + 1, OW = W - K + 1, PH = H + K - 1, PW = 8 * NCHX + K - 1;
    for (int s = n0; s < n1; s++) {
        for (long i = 0; i < (long)O * PH * PW; i++) scratch[i] = 0;
        for (int o = 0; o < O; o++)
            for (int y = 0; y < OH; y++)
                for (int x = 0; x < OW; x++)
                    scratch[((long)o * PH + y + K - 1) * PW + x + K - 1] = delta[(((long)s * O + o) * OH + y) * OW + x];
        for (int c0 = 0; c0 < C; c0 += CB)
            for (int yy = 0; yy < H; yy++) {
                int kyLo = yy - OH + 1 > 0 ? yy - OH + 1 : 0, kyHi = yy < K - 1 ? yy : K - 1;
                v8 acc[CB * NCHX];
                for (int t = 0; t < CB * NCHX; t++) acc[t] = SPLAT(0.0f);
                for (int o = 0; o < O; o++)
                    for (int ky = kyLo; ky <= kyHi; ky++) {
                        const float *row = scratch + ((long)o * PH + yy - ky + K - 1) * PW + K - 1;
                        for (int kx = 0; kx < K; kx++) {
                            v8 wv[CB];
                            for (int i = 0; i < CB; i++) wv[i] = SPLAT(w[(((long)o * C + c0 + i) * K + ky) * K + kx]);
                            for (int j = 0; j < NCHX; j++) {
                                v8 x = LOAD(row + 8 * j - kx);
                                for (int i = 0; i < CB; i++) acc[i * NCHX + j] = FMA(wv[i], x, acc[i * NCHX + j]);
                            }
                        }
                    }
                for (int i = 0; i < CB; i++) {
                    float *dst = dIn + (((long)s * C + c0 + i) * H + yy) * W;
                    float row[8 * NCHX];
                    for (int j = 0; j < NCHX; j++) STORE(row + 8 * j, acc[i * NCHX + j]);
                    for (int x = 0; x < W; x++) dst[x] = row[x];
                }
            }
    }
}

#endif

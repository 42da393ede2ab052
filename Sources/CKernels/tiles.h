// Register-tiled 8-wide loops of conv.c and gemm.c, inlined into each instruction-set variant
// with constant tile sizes (OB outputs × YB rows × NCH 8-wide chunks), so that the accumulator
// arrays live in registers. Summation order per output: bias, then c, ky, kx (forward); samples,
// rows, chunks per lane (weight lanes) — the same for every tile choice. The 16-wide loops
// (16 output channels per register, flattened input error) are in tiles16.h.

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

#endif

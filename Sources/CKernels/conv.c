// Direct convolution for the paper's small LeNet-5 layers (1→6 and 6→16 channels, k = 5).
//
// Implementation goals, in order of priority:
// 1. Deterministic: every sum runs in one fixed order that depends on the shapes only, never
//    on threads, on the register tiling or on the instruction set the dispatcher picks
//    (products and sums are explicit fused multiply-adds, __builtin_elementwise_fma).
// 2. Exact enough: within Float32 rounding of the im2col + BLAS reference (tests compare).
// 3. Fast: 16 floats per register (a zmm with AVX-512): 16 output channels of one position
//    (6→16 forward and weight gradient), rows of 16 + 8 outputs (1→6), products with Δ and
//    shifted adds (6→16 input error); 8-wide tiles (tiles.h) for other shapes. Register tiles
//    of several outputs × rows so that each load feeds several FMAs and independent
//    accumulators hide FMA latency; every plane of a sample in L1; no allocation.
// Sources: L. Boué, "Deep learning for pedestrians" (arXiv:1811.11987), convolution layer;
// the input error is the full correlation with 180°-rotated kernels (Dumoulin & Visin,
// arXiv:1603.07285, stride 1, no padding), computed in gather form over a zero-padded Δ.

#include "ckernels.h"
#include "tiles.h"
#include "tiles16.h"

int exp_conv_supported(int width, int kernel) {
    int ow = width - kernel + 1;
    return ow > 0 && ow % 8 == 0 && ow <= 64;
}

// The 16-channel kernels: O a multiple of 16, rows in pairs; the forward transposes the
// weights on the stack (at most 8,192 floats, 32 KB), the gradient holds K·K registers (K = 5).
static int o16_forward(int C, int H, int W, int O, int K) {
    int OH = H - K + 1, OW = W - K + 1;
    return O % 16 == 0 && OH % 2 == 0 && OW % 8 == 0 && (long)O * C * K * K <= 8192;
}
static int o16_gradient(int C, int H, int W, int O, int K) {
    return o16_forward(C, H, W, O, K) && K == 5;
}
// Lanes of rows of 16-wide chunks and at most one 8-wide chunk (K = 5, outputs in pairs):
// the number of lanes per weight, or 0 for the 8-lane kernels of tiles.h.
static int w16_lanes(int C, int H, int W, int O, int K) {
    int OW = W - K + 1;
    if (o16_gradient(C, H, W, O, K) || K != 5 || O % 2 != 0 || OW < 16) return 0;
    return 16 + 8 * ((OW / 8) % 2);
}

long exp_conv_input_error_scratch(int H, int W, int O, int K) {
    return (long)O * flat_delta_stride(H, W, K);
}

long exp_conv_weight_gradient_scratch(int C, int H, int W, int O, int K) {
    int OH = H - K + 1, OW = W - K + 1;
    long weights = (long)O * C * K * K;
    if (o16_gradient(C, H, W, O, K)) return 2 * (weights + O) + (long)OH * OW * 16;
    if (w16_lanes(C, H, W, O, K)) return weights * w16_lanes(C, H, W, O, K) + O * 8;
    return (weights + O) * 8;
}

// Tile choices (outputs × rows × 8-wide chunks); the sums do not depend on them.
#define FORWARD_DISPATCH                                                                       \
    int OH = H - K + 1, NCH = (W - K + 1) / 8;                                                  \
    if (o16_forward(C, H, W, O, K)) {                                                          \
        float wT[8192];                                                                          \
        for (int o = 0; o < O; o++)                                                            \
            for (int t = 0; t < C * K * K; t++) wT[(long)t * O + o] = w[(long)o * C * K * K + t]; \
        if (K == 5) fwd_o16(in, wT, b_, out, n0, n1, C, H, W, O, 5);                            \
        else fwd_o16(in, wT, b_, out, n0, n1, C, H, W, O, K);                                   \
    }                                                                                          \
    else if (NCH == 3 && O % 3 == 0 && OH % 4 == 0) FWD16(3, 4, 1, 1)                            \
    else if (NCH == 2 && O % 4 == 0 && OH % 2 == 0) FWD16(4, 2, 1, 0)                            \
    else if (NCH == 3 && O % 2 == 0 && OH % 3 == 0) FWD(2, 3, 3)                                 \
    else if (NCH == 1 && O % 4 == 0 && OH % 4 == 0) FWD(4, 4, 1)                                 \
    else if (NCH == 1) FWD(1, 1, 1) else if (NCH == 2) FWD(1, 1, 2) else if (NCH == 3) FWD(1, 1, 3) \
    else if (NCH == 4) FWD(1, 1, 4) else if (NCH == 5) FWD(1, 1, 5) else if (NCH == 6) FWD(1, 1, 6) \
    else if (NCH == 7) FWD(1, 1, 7) else FWD(1, 1, 8)

#define LANES_DISPATCH                                                                         \
    int NCH = (W - K + 1) / 8;                                                                  \
    if (K == 5 && NCH == 3 && O % 3 == 0) LNS(3, 5, 3)                                           \
    else if (K == 5 && NCH == 1 && O % 4 == 0) LNS(4, 5, 1)                                      \
    else lanes_plain(in, delta, lanes, n0, n1, C, H, W, O, K);

// Input error tiles: CB channels × PB chunks, PB dividing the chunk count.
#define INPUT_PB(CB)                                                                           \
    if (chunks % 3 == 0) INP(CB, 3) else if (chunks % 2 == 0) INP(CB, 2) else INP(CB, 1)
#define INPUT_DISPATCH                                                                         \
    int chunks = (H * W + 15) / 16;                                                             \
    if (H == 12 && W == 12 && K == 5) input_k5w8(delta, w, dIn, n0, n1, C, O);                   \
    else if (C % 6 == 0) INPUT_PB(6) else if (C % 4 == 0) INPUT_PB(4) else if (C % 3 == 0) INPUT_PB(3) \
    else if (C % 2 == 0) INPUT_PB(2) else INPUT_PB(1)

#define FWD(a, b, c) fwd_all(in, w, b_, out, n0, n1, C, H, W, O, K, a, b, c);
#define LNS(a, b, c) lanes_all(in, delta, lanes, n0, n1, C, H, W, O, a, b, c);
#define FWD16(ob, yb, nv16, nv8) fwd_w16(in, w, b_, out, n0, n1, C, H, W, O, K, ob, yb, nv16, nv8);
#define LNS16(nv16, nv8) lanes_w16(in, delta, lanes, n0, n1, C, H, W, O, 2, 5, nv16, nv8);
#define LANES16_DISPATCH                                                                       \
    int OW = W - K + 1;                                                                         \
    switch (OW / 8) {                                                                          \
    case 2: LNS16(1, 0) break; case 3: LNS16(1, 1) break; case 4: LNS16(2, 0) break;           \
    case 5: LNS16(2, 1) break; case 6: LNS16(3, 0) break; case 7: LNS16(3, 1) break;           \
    default: LNS16(4, 0)                                                                       \
    }
#define INP(a, b)                                                                              \
    if (K == 5) input_flat(delta, w, dIn, scratch, n0, n1, C, H, W, O, 5, a, b);                 \
    else input_flat(delta, w, dIn, scratch, n0, n1, C, H, W, O, K, a, b);

#define DEFINE_VARIANT(suffix, attr)                                                           \
    static attr void forward_##suffix(const float *in, const float *w, const float *b_, float *out, \
                                      int n0, int n1, int C, int H, int W, int O, int K) {      \
        FORWARD_DISPATCH                                                                       \
    }                                                                                          \
    static attr void lanes_##suffix(const float *in, const float *delta, float *lanes, float *biasLanes, \
                                    int n0, int n1, int C, int H, int W, int O, int K) {        \
        bias_lanes(delta, biasLanes, n0, n1, H, W, O, K);                                      \
        LANES_DISPATCH                                                                         \
    }                                                                                          \
    static attr void lanes16_##suffix(const float *in, const float *delta, float *lanes, float *biasLanes, \
                                      int n0, int n1, int C, int H, int W, int O, int K) {      \
        bias_lanes(delta, biasLanes, n0, n1, H, W, O, K);                                      \
        LANES16_DISPATCH                                                                       \
    }                                                                                          \
    static attr void grad16_##suffix(const float *in, const float *delta, double *gT, double *gB, float *dT, \
                                     int n0, int n1, int C, int H, int W, int O) {              \
        grad_o16(in, delta, gT, gB, dT, n0, n1, C, H, W, O, 5);                                \
    }                                                                                          \
    static attr void input_##suffix(const float *delta, const float *w, float *dIn, float *scratch, \
                                    int n0, int n1, int C, int H, int W, int O, int K) {        \
        INPUT_DISPATCH                                                                         \
    }

DEFINE_VARIANT(avx512, __attribute__((target("avx2,fma,avx512f,avx512vl"))))
DEFINE_VARIANT(avx2, __attribute__((target("avx2,fma"))))
DEFINE_VARIANT(generic, )

static int simd_limit = 2;

int exp_conv_simd_level(void) {  // 2: AVX-512 F+VL+DQ (32 vector registers), 1: AVX2 + FMA, 0: generic
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        // pool.c's AVX-512 variant also uses AVX512DQ (64-bit vector conversions): require all three.
        cached = avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")
                      && __builtin_cpu_supports("avx512dq") ? 2 : avx2;
    }
    return cached < simd_limit ? cached : simd_limit;
}

void exp_conv_limit_simd(int level) { simd_limit = level; }

void exp_conv_forward(const float *in, const float *w, const float *b, float *out,
                      int n0, int n1, int C, int H, int W, int O, int K) {
    switch (exp_conv_simd_level()) {
    case 2: forward_avx512(in, w, b, out, n0, n1, C, H, W, O, K); break;
    case 1: forward_avx2(in, w, b, out, n0, n1, C, H, W, O, K); break;
    default: forward_generic(in, w, b, out, n0, n1, C, H, W, O, K);
    }
}

void exp_conv_weight_gradient(const float *in, const float *delta, double *partial, float *scratch,
                              int n0, int n1, int C, int H, int W, int O, int K) {
    long weights = (long)O * C * K * K;
    int level = exp_conv_simd_level();
    if (o16_gradient(C, H, W, O, K)) {
        double *gT = (double *)scratch, *gB = gT + weights;
        float *dT = (float *)(gB + O);
        for (long i = 0; i < weights + O; i++) gT[i] = 0;
        switch (level) {
        case 2: grad16_avx512(in, delta, gT, gB, dT, n0, n1, C, H, W, O); break;
        case 1: grad16_avx2(in, delta, gT, gB, dT, n0, n1, C, H, W, O); break;
        default: grad16_generic(in, delta, gT, gB, dT, n0, n1, C, H, W, O);
        }
        for (int o = 0; o < O; o++) {
            for (long t = 0; t < (long)C * K * K; t++) partial[o * (long)C * K * K + t] += gT[t * O + o];
            partial[weights + o] += gB[o];
        }
        return;
    }
    int L = w16_lanes(C, H, W, O, K);
    float *lanes = scratch, *biasLanes = scratch + weights * (L ? L : 8);
    for (long i = 0; i < weights * (L ? L : 8) + O * 8; i++) lanes[i] = 0;
    if (L) {
        switch (level) {
        case 2: lanes16_avx512(in, delta, lanes, biasLanes, n0, n1, C, H, W, O, K); break;
        case 1: lanes16_avx2(in, delta, lanes, biasLanes, n0, n1, C, H, W, O, K); break;
        default: lanes16_generic(in, delta, lanes, biasLanes, n0, n1, C, H, W, O, K);
        }
    } else {
        L = 8;
        switch (level) {
        case 2: lanes_avx512(in, delta, lanes, biasLanes, n0, n1, C, H, W, O, K); break;
        case 1: lanes_avx2(in, delta, lanes, biasLanes, n0, n1, C, H, W, O, K); break;
        default: lanes_generic(in, delta, lanes, biasLanes, n0, n1, C, H, W, O, K);
        }
    }
    for (long i = 0; i < weights; i++) {   // lanes in order
        double sum = 0;
        for (int l = 0; l < L; l++) sum += (double)lanes[i * L + l];
        partial[i] += sum;
    }
    for (int o = 0; o < O; o++) {
        double sum = 0;
        for (int l = 0; l < 8; l++) sum += (double)biasLanes[o * 8 + l];
        partial[weights + o] += sum;
    }
}

void exp_conv_input_error(const float *delta, const float *w, float *dIn, float *scratch,
                          int n0, int n1, int C, int H, int W, int O, int K) {
    switch (exp_conv_simd_level()) {
    case 2: input_avx512(delta, w, dIn, scratch, n0, n1, C, H, W, O, K); break;
    case 1: input_avx2(delta, w, dIn, scratch, n0, n1, C, H, W, O, K); break;
    default: input_generic(delta, w, dIn, scratch, n0, n1, C, H, W, O, K);
    }
}

// zlib, for gzip decompression of IDX files.
#include <zlib.h>
// inflateInit2 is a macro; Swift cannot import it.
static inline int exp_inflate_init2(z_streamp strm, int windowBits) { return inflateInit2(strm, windowBits); }

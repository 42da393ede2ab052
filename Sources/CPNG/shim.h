// libpng's simplified png_image API (libpng 1.6). The classic API needs setjmp, which Swift cannot call.
#include <png.h>
// PNG_FORMAT_RGBA is a macro expression Swift cannot import.
static inline unsigned int exp_png_format_rgba(void) { return PNG_FORMAT_RGBA; }

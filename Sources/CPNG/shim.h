// libpng's simplified png_image API (libpng 1.6). The classic API needs setjmp, which Swift cannot call.
#include <png.h>
// PNG_FORMAT_RGBA is a macro expression Swift cannot import.
static inline unsigned int exp_png_format_rgba(void) { return PNG_FORMAT_RGBA; }
// PNG_IMAGE_PNG_SIZE_MAX is a macro expression too: an upper bound on the encoded size, so that
// png_image_write_to_memory can encode once into a buffer of that size.
static inline png_alloc_size_t exp_png_image_png_size_max(png_image image) { return PNG_IMAGE_PNG_SIZE_MAX(image); }

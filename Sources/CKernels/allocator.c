// glibc malloc tuning (see Tensor/Allocator.swift): mallopt is declared in <malloc.h>, which
// Swift's Glibc module does not export.

#include "ckernels.h"
#include <stdlib.h>   // defines __GLIBC__ through <features.h> on glibc systems
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void exp_keep_freed_memory(void) {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 32 << 20);   // glibc's maximum (HEAP_MAX_SIZE / 2)
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

/* The wall headers (umc/wall/umc/ *.h) include <stdint.h>.  Kernel-side code
 * is compiled -nostdinc, so this resolves to GCC's freestanding definitions
 * rather than the C library's (clang: its own, for the fuzz targets). */
#ifndef _UMC_STDINT_H
#define _UMC_STDINT_H
#if defined(__clang__)
/* clang's own <stdint.h> (resource dir) is freestanding when nothing
 * follows it on the include path. */
#include_next <stdint.h>
#else
#include <stdint-gcc.h>
#endif
#endif

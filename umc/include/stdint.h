/* The wall headers (umc/wall/umc/ *.h) include <stdint.h>.  Kernel-side code
 * is compiled -nostdinc, so this resolves to GCC's freestanding definitions
 * rather than the C library's. */
#ifndef _UMC_STDINT_H
#define _UMC_STDINT_H
#include <stdint-gcc.h>
#endif

/* The kernel defines bool/true/false itself (linux/types.h, linux/stddef.h);
 * GCC's <stdbool.h> macros would clash with them. */
#ifndef _UMC_STDBOOL_H
#define _UMC_STDBOOL_H
#include <linux/types.h>
#define __bool_true_false_are_defined 1
#endif

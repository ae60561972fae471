/* IS_ENABLED() and friends over generated/autoconf.h.  Same contract as the
 * kernel's: IS_ENABLED(CONFIG_X) is 1 when CONFIG_X is defined to 1 (built
 * in) or CONFIG_X_MODULE is, else 0, usable in #if and in C expressions. */
#ifndef _LINUX_KCONFIG_H
#define _LINUX_KCONFIG_H

#include <generated/autoconf.h>

#define __UMC_ARG_PLACEHOLDER_1 0,
#define __umc_take_second_arg(ignored, val, ...) val
#define __umc_is_defined(x) ___umc_is_defined(x)
#define ___umc_is_defined(val) ____umc_is_defined(__UMC_ARG_PLACEHOLDER_##val)
#define ____umc_is_defined(arg1_or_junk) __umc_take_second_arg(arg1_or_junk 1, 0)
#define __umc_or(x, y) ___umc_or(x, y)
#define ___umc_or(x, y) ____umc_or(__UMC_ARG_PLACEHOLDER_##x, y)
#define ____umc_or(arg1_or_junk, y) __umc_take_second_arg(arg1_or_junk 1, y)

#define IS_BUILTIN(option) __umc_is_defined(option)
#define IS_MODULE(option) __umc_is_defined(option##_MODULE)
#define IS_ENABLED(option) __umc_or(IS_BUILTIN(option), IS_MODULE(option))
#define IS_REACHABLE(option) IS_ENABLED(option)

#endif

/* Attribute spellings the kernel uses, mapped onto GCC's. */
#ifndef _LINUX_COMPILER_ATTRIBUTES_H
#define _LINUX_COMPILER_ATTRIBUTES_H

#define __alias(symbol) __attribute__((__alias__(#symbol)))
#define __aligned(x) __attribute__((__aligned__(x)))
#define __aligned_largest __attribute__((__aligned__))
#define __always_inline inline __attribute__((__always_inline__))
#define __always_unused __attribute__((__unused__))
#define __maybe_unused __attribute__((__unused__))
#define __cold __attribute__((__cold__))
#define __hot __attribute__((__hot__))
#define __attribute_const__ __attribute__((__const__))
#define __copy(symbol) __attribute__((__copy__(symbol)))
#define __deprecated
#define __flatten __attribute__((flatten))
#define __gnu_inline __attribute__((__gnu_inline__))
#define __malloc __attribute__((__malloc__))
#define __mode(x) __attribute__((__mode__(x)))
#define __must_check __attribute__((__warn_unused_result__))
#define __noreturn __attribute__((__noreturn__))
#define __packed __attribute__((__packed__))
#define __printf(a, b) __attribute__((__format__(printf, a, b)))
#define __scanf(a, b) __attribute__((__format__(scanf, a, b)))
#define __pure __attribute__((__pure__))
#define __section(section) __attribute__((__section__(section)))
#define __used __attribute__((__used__))
#define __weak __attribute__((__weak__))
#define __nonstring __attribute__((__nonstring__))
#define __noclone __attribute__((__noclone__))
#define noinline __attribute__((__noinline__))
#define __designated_init __attribute__((__designated_init__))
#define __visible __attribute__((__externally_visible__))
#define __assume_aligned(a, ...) __attribute__((__assume_aligned__(a, ##__VA_ARGS__)))
#define __no_sanitize_address __attribute__((__no_sanitize_address__))
#define fallthrough __attribute__((__fallthrough__))

#endif

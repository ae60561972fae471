#ifndef _LINUX_MATH_H
#define _LINUX_MATH_H

#include <linux/types.h>

#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define DIV_ROUND_DOWN_ULL(ll, d) ({ unsigned long long _tmp = (ll); _tmp /= (d); _tmp; })
#define DIV_ROUND_UP_ULL(ll, d) DIV_ROUND_DOWN_ULL((unsigned long long)(ll) + (d) - 1, (d))
#define DIV_ROUND_CLOSEST(x, divisor) ({                                       \
	typeof(x) __x = (x);                                                   \
	typeof(divisor) __d = (divisor);                                       \
	(((typeof(x))-1) > 0 || ((typeof(divisor))-1) > 0 || (((__x) > 0) == ((__d) > 0))) ? \
		(((__x) + ((__d) / 2)) / (__d)) : (((__x) - ((__d) / 2)) / (__d)); })
#define __round_mask(x, y) ((__typeof__(x))((y) - 1))
#define round_up(x, y) ((((x) - 1) | __round_mask(x, y)) + 1)
#define round_down(x, y) ((x) & ~__round_mask(x, y))
#define roundup(x, y) ({ typeof(y) __y = (y); (((x) + (__y - 1)) / __y) * __y; })
#define rounddown(x, y) ({ typeof(x) __x = (x); __x - (__x % (y)); })
/* abs() of any signed integer type, result of that type. */
#define abs(x) __builtin_choose_expr(sizeof(x) == sizeof(long long),           \
	({ long long __a = (x); __a < 0 ? -__a : __a; }),                       \
	({ long __a = (x); (typeof(x))(__a < 0 ? -__a : __a); }))
#define mult_frac(x, numer, denom) ({                                           \
	typeof(x) quot = (x) / (denom);                                         \
	typeof(x) rem = (x) % (denom);                                          \
	(quot * (numer)) + ((rem * (numer)) / (denom)); })
#define sector_div(a, b) ({ u32 __rem = (u32)((a) % (b)); (a) /= (b); __rem; })

static inline u64 div_u64(u64 dividend, u32 divisor) { return dividend / divisor; }
static inline s64 div_s64(s64 dividend, s32 divisor) { return dividend / divisor; }
static inline u64 div64_u64(u64 dividend, u64 divisor) { return dividend / divisor; }
static inline u64 div_u64_rem(u64 dividend, u32 divisor, u32 *remainder)
{
	*remainder = (u32)(dividend % divisor);
	return dividend / divisor;
}
/* do_div(n, base): n becomes n / base; evaluates to the remainder. */
#define do_div(n, base) ({ u32 __base = (base); u32 __rem = (u32)((n) % __base); (n) /= __base; __rem; })

#endif

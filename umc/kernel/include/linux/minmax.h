/* min/max with the kernel's type strictness: min(a, b) refuses (at compile
 * time) operands of different types; min_t/max_t cast both to a named type.
 * Every argument is evaluated exactly once. */
#ifndef _LINUX_MINMAX_H
#define _LINUX_MINMAX_H

#include <linux/const.h>

#define __typecheck(x, y) (!!(sizeof((typeof(x) *)1 == (typeof(y) *)1)))
#define __umc_cmp(x, y, op) ((x) op (y) ? (x) : (y))
#define __umc_cmp_once(x, y, op, ux, uy) ({ \
	typeof(x) ux = (x);                 \
	typeof(y) uy = (y);                 \
	(void)__typecheck(ux, uy);          \
	__umc_cmp(ux, uy, op); })
#define __umc_careful_cmp(x, y, op) \
	__umc_cmp_once(x, y, op, __UNIQUE_ID(__x), __UNIQUE_ID(__y))

#define min(x, y) __umc_careful_cmp(x, y, <)
#define max(x, y) __umc_careful_cmp(x, y, >)
#define min3(x, y, z) min((typeof(x))min(x, y), z)
#define max3(x, y, z) max((typeof(x))max(x, y), z)
#define min_t(type, x, y) __umc_careful_cmp((type)(x), (type)(y), <)
#define max_t(type, x, y) __umc_careful_cmp((type)(x), (type)(y), >)
/* The smaller of two values, ignoring zeros (0 means "no limit"). */
#define min_not_zero(x, y) ({                       \
	typeof(x) __mnz_x = (x);                    \
	typeof(y) __mnz_y = (y);                    \
	__mnz_x == 0 ? __mnz_y : ((__mnz_y == 0) ? __mnz_x : min(__mnz_x, __mnz_y)); })
#define clamp(val, lo, hi) min((typeof(val))max(val, lo), hi)
#define clamp_t(type, val, lo, hi) min_t(type, max_t(type, val, lo), hi)
#define clamp_val(val, lo, hi) clamp_t(typeof(val), val, lo, hi)
#define swap(a, b) do { typeof(a) __tmp = (a); (a) = (b); (b) = __tmp; } while (0)

#endif

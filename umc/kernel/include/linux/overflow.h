/* Overflow-checked arithmetic; the check_* macros return true on overflow
 * (and store the wrapped result), the size helpers saturate at SIZE_MAX so
 * an allocation of the result fails instead of being short. */
#ifndef _LINUX_OVERFLOW_H
#define _LINUX_OVERFLOW_H

#include <linux/compiler.h>
#include <linux/limits.h>

#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#define check_sub_overflow(a, b, d) __builtin_sub_overflow(a, b, d)
#define check_mul_overflow(a, b, d) __builtin_mul_overflow(a, b, d)

static inline size_t __must_check size_mul(size_t factor1, size_t factor2)
{
	size_t bytes;
	if (check_mul_overflow(factor1, factor2, &bytes))
		return SIZE_MAX;
	return bytes;
}
static inline size_t __must_check size_add(size_t addend1, size_t addend2)
{
	size_t bytes;
	if (check_add_overflow(addend1, addend2, &bytes))
		return SIZE_MAX;
	return bytes;
}
#define array_size(a, b) size_mul(a, b)
#define array3_size(a, b, c) size_mul(size_mul(a, b), c)
/* Size of a struct with a trailing flexible array of @count elements. */
#define struct_size(p, member, count) \
	size_add(sizeof(*(p)), size_mul(sizeof(*(p)->member) + __must_be_array((p)->member), count))
#define flex_array_size(p, member, count) \
	size_mul(count, sizeof(*(p)->member) + __must_be_array((p)->member))

#endif

// SPDX-License-Identifier: GPL-2.0
/* String to integer conversions with the kernel's rules (lib/kstrtox.c):
 * the whole string must be the number, one trailing newline allowed; base 0
 * takes a 0x (hex) or 0 (octal) prefix; a leading '+' is accepted, a '-'
 * only by the signed variants; 0, -EINVAL (no digits, trailing garbage) or
 * -ERANGE (does not fit the type).  kstrtobool looks at the first one or two
 * characters only, as the kernel's does. */
#include <linux/kstrtox.h>
#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/limits.h>

static const char *fixup_radix(const char *s, unsigned int *base)
{
	if (*base == 0) {
		if (s[0] == '0') {
			if (_tolower(s[1]) == 'x' && isxdigit(s[2]))
				*base = 16;
			else
				*base = 8;
		} else {
			*base = 10;
		}
	}
	if (*base == 16 && s[0] == '0' && _tolower(s[1]) == 'x')
		s += 2;
	return s;
}

static int parse_ull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long r = 0;
	bool overflow = false;
	unsigned int n = 0;

	s = fixup_radix(s, &base);
	for (;; s++, n++) {
		unsigned int c = (unsigned char)*s, lc = c | 0x20, val;

		if (c >= '0' && c <= '9')
			val = c - '0';
		else if (lc >= 'a' && lc <= 'f')
			val = lc - 'a' + 10;
		else
			break;
		if (val >= base)
			break;
		if (r > (ULLONG_MAX - val) / base)
			overflow = true;
		r = r * base + val;
	}
	if (overflow)
		return -ERANGE;
	if (!n)
		return -EINVAL;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = r;
	return 0;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	if (s[0] == '+')
		s++;
	return parse_ull(s, base, res);
}

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long tmp;
	int rv;

	if (s[0] == '-') {
		rv = parse_ull(s + 1, base, &tmp);
		if (rv < 0)
			return rv;
		if ((long long)-tmp > 0)
			return -ERANGE;
		*res = -tmp;
	} else {
		rv = kstrtoull(s, base, &tmp);
		if (rv < 0)
			return rv;
		if ((long long)tmp < 0)
			return -ERANGE;
		*res = tmp;
	}
	return 0;
}

/* The narrower types: whatever does not survive the round trip is out of
 * range. */
#define UMC_KSTRTOU(name, type)                               \
	int name(const char *s, unsigned int base, type *res) \
	{                                                     \
		unsigned long long tmp;                       \
		int rv = kstrtoull(s, base, &tmp);            \
		if (rv < 0)                                   \
			return rv;                            \
		if ((unsigned long long)(type)tmp != tmp)     \
			return -ERANGE;                       \
		*res = (type)tmp;                             \
		return 0;                                     \
	}
#define UMC_KSTRTOS(name, type)                               \
	int name(const char *s, unsigned int base, type *res) \
	{                                                     \
		long long tmp;                                \
		int rv = kstrtoll(s, base, &tmp);             \
		if (rv < 0)                                   \
			return rv;                            \
		if ((long long)(type)tmp != tmp)              \
			return -ERANGE;                       \
		*res = (type)tmp;                             \
		return 0;                                     \
	}

UMC_KSTRTOU(kstrtoul, unsigned long)
UMC_KSTRTOS(kstrtol, long)
UMC_KSTRTOU(kstrtouint, unsigned int)
UMC_KSTRTOS(kstrtoint, int)
UMC_KSTRTOU(kstrtou64, u64)
UMC_KSTRTOS(kstrtos64, s64)
UMC_KSTRTOU(kstrtou32, u32)
UMC_KSTRTOS(kstrtos32, s32)
UMC_KSTRTOU(kstrtou16, u16)
UMC_KSTRTOU(kstrtou8, u8)

int kstrtobool(const char *s, bool *res)
{
	if (!s)
		return -EINVAL;
	switch (s[0]) {
	case 'y':
	case 'Y':
	case 't':
	case 'T':
	case '1':
		*res = true;
		return 0;
	case 'n':
	case 'N':
	case 'f':
	case 'F':
	case '0':
		*res = false;
		return 0;
	case 'o':
	case 'O':
		switch (s[1]) {
		case 'n':
		case 'N':
			*res = true;
			return 0;
		case 'f':
		case 'F':
			*res = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}

// SPDX-License-Identifier: GPL-2.0
/* Kernel-only string helpers (the C-standard ones come from the C library,
 * with identical semantics). */
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/ctype.h>
#include <linux/kernel.h>

ssize_t strscpy(char *dest, const char *src, size_t size)
{
	size_t len;

	if (size == 0 || size > INT_MAX)
		return -E2BIG;
	len = strnlen(src, size);
	if (len == size) {
		/* truncated: keep size - 1 characters and terminate */
		memcpy(dest, src, size - 1);
		dest[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dest, src, len + 1);
	return (ssize_t)len;
}

ssize_t strscpy_pad(char *dest, const char *src, size_t size)
{
	ssize_t written = strscpy(dest, src, size);
	if (written < 0 || (size_t)written == size - 1)
		return written;
	memset(dest + written + 1, 0, size - (size_t)written - 1);
	return written;
}

size_t strlcpy(char *dest, const char *src, size_t size)
{
	size_t ret = strlen(src);
	if (size) {
		size_t len = (ret >= size) ? size - 1 : ret;
		memcpy(dest, src, len);
		dest[len] = '\0';
	}
	return ret;
}

size_t strlcat(char *dest, const char *src, size_t count)
{
	size_t dsize = strlen(dest);
	size_t len = strlen(src);
	size_t res = dsize + len;

	BUG_ON(dsize >= count);
	dest += dsize;
	count -= dsize;
	if (len >= count)
		len = count - 1;
	memcpy(dest, src, len);
	dest[len] = 0;
	return res;
}

char *strchrnul(const char *s, int c)
{
	while (*s && *s != (char)c)
		s++;
	return (char *)s;
}

char *strnchrnul(const char *s, size_t count, int c)
{
	while (count-- && *s && *s != (char)c)
		s++;
	return (char *)s;
}

char *strnchr(const char *s, size_t count, int c)
{
	while (count--) {
		if (*s == (char)c)
			return (char *)s;
		if (*s++ == '\0')
			break;
	}
	return NULL;
}

char *skip_spaces(const char *str)
{
	while (isspace(*str))
		++str;
	return (char *)str;
}

char *strim(char *s)
{
	size_t size = strlen(s);
	char *end;

	if (!size)
		return s;
	end = s + size - 1;
	while (end >= s && isspace(*end))
		end--;
	*(end + 1) = '\0';
	return skip_spaces(s);
}

/* Equal, treating a single trailing newline on either side as absent (how
 * sysfs compares a written value). */
bool sysfs_streq(const char *s1, const char *s2)
{
	while (*s1 && *s1 == *s2) {
		s1++;
		s2++;
	}
	if (*s1 == *s2)
		return true;
	if (!*s1 && *s2 == '\n' && !s2[1])
		return true;
	if (*s1 == '\n' && !s1[1] && !*s2)
		return true;
	return false;
}

int match_string(const char *const *array, size_t n, const char *string)
{
	size_t index;
	for (index = 0; index < n; index++) {
		if (!array[index])
			break;
		if (!strcmp(array[index], string))
			return (int)index;
	}
	return -EINVAL;
}

void *memscan(void *addr, int c, size_t size)
{
	unsigned char *p = addr;
	while (size) {
		if (*p == (unsigned char)c)
			return (void *)p;
		p++;
		size--;
	}
	return (void *)p;
}

void memzero_explicit(void *s, size_t count)
{
	memset(s, 0, count);
	barrier_data(s);
}

char *__umc_kstrdup(const char *s, gfp_t gfp, const char *caller)
{
	size_t len;
	char *buf;

	if (!s)
		return NULL;
	len = strlen(s) + 1;
	buf = __umc_kmalloc(len, gfp, caller);
	if (buf)
		memcpy(buf, s, len);
	return buf;
}

char *__umc_kstrndup(const char *s, size_t max, gfp_t gfp, const char *caller)
{
	size_t len;
	char *buf;

	if (!s)
		return NULL;
	len = strnlen(s, max);
	buf = __umc_kmalloc(len + 1, gfp, caller);
	if (buf) {
		memcpy(buf, s, len);
		buf[len] = '\0';
	}
	return buf;
}

void *__umc_kmemdup(const void *src, size_t len, gfp_t gfp, const char *caller)
{
	void *p = __umc_kmalloc(len, gfp, caller);
	if (p)
		memcpy(p, src, len);
	return p;
}

char *(kstrdup)(const char *s, gfp_t gfp)
{
	return __umc_kstrdup(s, gfp, "kstrdup");
}
char *(kstrndup)(const char *s, size_t max, gfp_t gfp)
{
	return __umc_kstrndup(s, max, gfp, "kstrndup");
}
void *(kmemdup)(const void *src, size_t len, gfp_t gfp)
{
	return __umc_kmemdup(src, len, gfp, "kmemdup");
}
/* No .rodata sharing trick here: always a real copy, always kfree-able. */
const char *kstrdup_const(const char *s, gfp_t gfp)
{
	return __umc_kstrdup(s, gfp, "kstrdup_const");
}
void kfree_const(const void *x)
{
	kfree(x);
}

int hex_to_bin(unsigned char ch)
{
	unsigned char cu = ch & 0xdf;
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (cu >= 'A' && cu <= 'F')
		return cu - 'A' + 10;
	return -1;
}

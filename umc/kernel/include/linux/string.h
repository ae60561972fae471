/* String and memory functions.  The C-standard ones have identical
 * semantics in the C library and resolve there (GCC also expands many of
 * them inline); the kernel-only ones are in umc/kernel/lib/string.c. */
#ifndef _LINUX_STRING_H
#define _LINUX_STRING_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/stdarg.h>
#include <linux/overflow.h>

void *memcpy(void *dest, const void *src, size_t n);
void *memmove(void *dest, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *s1, const void *s2, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *s1, const char *s2);
int strncmp(const char *s1, const char *s2, size_t n);
int strcasecmp(const char *s1, const char *s2);
int strncasecmp(const char *s1, const char *s2, size_t n);
char *strcpy(char *dest, const char *src);
char *strncpy(char *dest, const char *src, size_t n);
char *strcat(char *dest, const char *src);
char *strncat(char *dest, const char *src, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
char *strpbrk(const char *s, const char *accept);
char *strsep(char **stringp, const char *delim);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);

/* Copies at most size-1 chars and always terminates (if size > 0).
 * Returns the length copied, or -E2BIG when @src was truncated. */
ssize_t strscpy(char *dest, const char *src, size_t size);
/* strscpy that also zero-fills the rest of @dest. */
ssize_t strscpy_pad(char *dest, const char *src, size_t size);
size_t strlcpy(char *dest, const char *src, size_t size);
size_t strlcat(char *dest, const char *src, size_t count);
char *strchrnul(const char *s, int c);
/* The first @c (or NUL) within @count bytes, else s + count. */
char *strnchrnul(const char *s, size_t count, int c);
char *strnchr(const char *s, size_t count, int c);
char *skip_spaces(const char *str);
char *strim(char *s);
static inline __must_check char *strstrip(char *str) { return strim(str); }
bool sysfs_streq(const char *s1, const char *s2);
int match_string(const char *const *array, size_t n, const char *string);
void *memscan(void *addr, int c, size_t size);
void memzero_explicit(void *s, size_t count);
/* The last path component (the kernel's kbasename). */
static inline const char *kbasename_umc(const char *path)
{
	const char *tail = strrchr(path, '/');
	return tail ? tail + 1 : path;
}
#define kbasename(path) kbasename_umc(path)
static inline bool strstarts(const char *str, const char *prefix)
{
	return strncmp(str, prefix, strlen(prefix)) == 0;
}

char *__umc_kstrdup(const char *s, gfp_t gfp, const char *caller) __malloc;
char *__umc_kstrndup(const char *s, size_t max, gfp_t gfp, const char *caller) __malloc;
void *__umc_kmemdup(const void *src, size_t len, gfp_t gfp, const char *caller);
char *kstrdup(const char *s, gfp_t gfp) __malloc;
char *kstrndup(const char *s, size_t max, gfp_t gfp) __malloc;
void *kmemdup(const void *src, size_t len, gfp_t gfp);
const char *kstrdup_const(const char *s, gfp_t gfp);
void kfree_const(const void *x);
#define kstrdup(s, gfp) __umc_kstrdup((s), (gfp), __FILE__ ":" __stringify(__LINE__))
#define kstrndup(s, max, gfp) __umc_kstrndup((s), (max), (gfp), __FILE__ ":" __stringify(__LINE__))
#define kmemdup(src, len, gfp) __umc_kmemdup((src), (len), (gfp), __FILE__ ":" __stringify(__LINE__))

#define memset_after(obj, v, member) \
	memset((u8 *)(obj) + offsetofend(typeof(*(obj)), member), v, \
	       sizeof(*(obj)) - offsetofend(typeof(*(obj)), member))
#define memset_startat(obj, v, member) \
	memset((u8 *)(obj) + offsetof(typeof(*(obj)), member), v, \
	       sizeof(*(obj)) - offsetof(typeof(*(obj)), member))

#include <linux/stringify.h>

#endif

/* String to integer conversions: the whole string must be a number
 * (one trailing newline allowed); 0, -EINVAL or -ERANGE.  Base 0 takes a
 * 0x / 0 prefix as the C language does. */
#ifndef _LINUX_KSTRTOX_H
#define _LINUX_KSTRTOX_H
#include <linux/compiler.h>
#include <linux/types.h>

int __must_check kstrtoull(const char *s, unsigned int base, unsigned long long *res);
int __must_check kstrtoll(const char *s, unsigned int base, long long *res);
int __must_check kstrtoul(const char *s, unsigned int base, unsigned long *res);
int __must_check kstrtol(const char *s, unsigned int base, long *res);
int __must_check kstrtouint(const char *s, unsigned int base, unsigned int *res);
int __must_check kstrtoint(const char *s, unsigned int base, int *res);
int __must_check kstrtou64(const char *s, unsigned int base, u64 *res);
int __must_check kstrtos64(const char *s, unsigned int base, s64 *res);
int __must_check kstrtou32(const char *s, unsigned int base, u32 *res);
int __must_check kstrtos32(const char *s, unsigned int base, s32 *res);
int __must_check kstrtou16(const char *s, unsigned int base, u16 *res);
int __must_check kstrtou8(const char *s, unsigned int base, u8 *res);
int __must_check kstrtobool(const char *s, bool *res);
unsigned long long simple_strtoull(const char *cp, char **endp, unsigned int base);
unsigned long simple_strtoul(const char *cp, char **endp, unsigned int base);
long simple_strtol(const char *cp, char **endp, unsigned int base);
long long simple_strtoll(const char *cp, char **endp, unsigned int base);
#endif

/* printk and the pr_* family.  _printk() (umc/kernel/kernel/printk/printk.c) formats
 * with the kernel's vsnprintf (so %pI4, %pI6, %pg, %ps work) and hands the
 * finished line with its level to the runtime's log. */
#ifndef _LINUX_PRINTK_H
#define _LINUX_PRINTK_H

#include <linux/stdarg.h>
#include <linux/kern_levels.h>
#include <linux/compiler.h>
#include <linux/types.h>

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

/* %pV argument: a nested format and its arguments. */
struct va_format {
	const char *fmt;
	va_list *va;
};

__printf(1, 2) __cold int _printk(const char *fmt, ...);
__printf(1, 0) int vprintk(const char *fmt, va_list args);
#define printk(fmt, ...) _printk(fmt, ##__VA_ARGS__)
#define printk_deferred(fmt, ...) _printk(fmt, ##__VA_ARGS__)
#define printk_ratelimit() 1

/* Keeps printf format checking for messages that are compiled out. */
#define no_printk(fmt, ...) ({ if (0) _printk(fmt, ##__VA_ARGS__); 0; })

#define pr_emerg(fmt, ...) printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...) printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...) printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warning pr_warn
#define pr_notice(fmt, ...) printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...) printk(KERN_CONT fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_devel(fmt, ...) no_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)

#define printk_once(fmt, ...) ({ static bool __print_once; bool __ret = !__print_once; \
	if (!__print_once) { __print_once = true; printk(fmt, ##__VA_ARGS__); } unlikely(__ret); })
#define pr_warn_once(fmt, ...) printk_once(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err_once(fmt, ...) printk_once(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info_once(fmt, ...) printk_once(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err_ratelimited(fmt, ...) pr_err(fmt, ##__VA_ARGS__)
#define pr_warn_ratelimited(fmt, ...) pr_warn(fmt, ##__VA_ARGS__)
#define pr_info_ratelimited(fmt, ...) pr_info(fmt, ##__VA_ARGS__)

void dump_stack(void);

#endif

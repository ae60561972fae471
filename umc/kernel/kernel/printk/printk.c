// SPDX-License-Identifier: GPL-2.0
/* printk, the *printf family, BUG/WARN and panic: thin kernel-ABI wrappers
 * over the runtime's formatter and log (umc/printk.h, umc/runtime.h). */
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <umc/printk.h>
#include <umc/runtime.h>

enum system_states system_state = SYSTEM_RUNNING;

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	return umc_vsnprintf(buf, size, fmt, args);
}

int vscnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	int i;

	if (unlikely(!size))
		return 0;
	i = vsnprintf(buf, size, fmt, args);
	if (likely((size_t)i < size))
		return i;
	return (int)size - 1;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int i;

	va_start(args, fmt);
	i = vsnprintf(buf, size, fmt, args);
	va_end(args);
	return i;
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int i;

	va_start(args, fmt);
	i = vscnprintf(buf, size, fmt, args);
	va_end(args);
	return i;
}

/* The kernel's sprintf trusts the caller's buffer; so do we. */
int vsprintf(char *buf, const char *fmt, va_list args)
{
	return vsnprintf(buf, INT_MAX, fmt, args);
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list args;
	int i;

	va_start(args, fmt);
	i = vsnprintf(buf, INT_MAX, fmt, args);
	va_end(args);
	return i;
}

char *kvasprintf(gfp_t gfp, const char *fmt, va_list ap)
{
	va_list aq;
	int first, second;
	char *p;

	va_copy(aq, ap);
	first = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	p = kmalloc((size_t)first + 1, gfp);
	if (!p)
		return NULL;
	second = vsnprintf(p, (size_t)first + 1, fmt, ap);
	WARN(first != second, "different return values (%u and %u) from vsnprintf(\"%s\", ...)", first, second, fmt);
	return p;
}

const char *kvasprintf_const(gfp_t gfp, const char *fmt, va_list ap)
{
	return kvasprintf(gfp, fmt, ap);
}

char *kasprintf(gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = kvasprintf(gfp, fmt, ap);
	va_end(ap);
	return p;
}

int vprintk(const char *fmt, va_list args)
{
	return umc_vprintk(fmt, args);
}

int _printk(const char *fmt, ...)
{
	va_list args;
	int r;

	va_start(args, fmt);
	r = umc_vprintk(fmt, args);
	va_end(args);
	return r;
}

void __warn_printk(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	umc_vprintk(fmt, args);
	va_end(args);
}

void __umc_warn(const char *file, int line)
{
	_printk(KERN_WARNING "WARNING: at %s:%d\n", file, line);
	umc_dump_stack();
}

void __umc_bug(const char *file, int line)
{
	char where[256];

	snprintf(where, sizeof(where), "%s:%d", file, line);
	umc_panic(where, "kernel BUG");
}

void panic(const char *fmt, ...)
{
	char msg[1024];
	va_list args;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	umc_panic("panic()", msg);
}

void dump_stack(void)
{
	umc_dump_stack();
}

/*
 * umc/printk.h - the kernel's formatter and log sink.
 *
 * umc_vsnprintf() understands the kernel's %p extensions that DRBD and the
 * kernel side use and hands every other conversion to the C library:
 *   %pI4 %pi4        IPv4 address from 4 bytes (network order): 10.0.0.1
 *   %pI6 / %pI6c     IPv6 from 16 bytes, full (0000:...:0001) / compressed
 *   %pIS[p][c]       struct sockaddr (AF_INET/AF_INET6); 'p' adds the port:
 *                    1.2.3.4:7789, [fe80::1]:7789
 *   %ps / %pS        symbol name of a code address (dladdr); %pS adds
 *                    "+0xoff"; hex when no symbol is known
 *   %pV              struct umc_va_format (nested format + va_list *)
 *   %p<c>            an extension registered with umc_printk_register()
 *                    (the kernel side registers 'g' for a block_device's
 *                    name)
 *   %p               hex address (not hashed), %px the same
 * A NULL pointer with an extension prints "(null)".  %n is not supported.
 *
 * Levels: a message may start with KERN_SOH ("\001") and a level char
 * '0'..'7' (or 'c' continuation, 'd' default).  0-2 -> critical, 3 -> error,
 * 4 and default -> warn (the kernel's default message level), 5-6 -> info,
 * 7 -> debug.  Messages go to sys_service log_write with component
 * "kernel"; a trailing newline is dropped.
 */
#ifndef UMC_WALL_PRINTK_H
#define UMC_WALL_PRINTK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef __builtin_va_list umc_va_list;

/* The kernel's struct va_format. */
struct umc_va_format {
	const char *fmt;
	umc_va_list *va;
};

/* vsnprintf(): writes at most size bytes including the NUL (when size > 0)
 * and returns the length the full output would have.  Any context. */
int umc_vsnprintf(char *buf, size_t size, const char *fmt, umc_va_list ap);

/* vprintk(): format, strip the level prefix and log.  Returns the number
 * of characters formatted (without the prefix).  Any context. */
int umc_vprintk(const char *fmt, umc_va_list ap);

/* Log an already formatted message (level prefix allowed). */
void umc_printk_emit(const char *msg, size_t len);

/* %p<ext> handler: write the text for `ptr` into buf (at most size bytes,
 * NUL not required) and return its full length. */
typedef size_t (*umc_printk_ext_fn)(char *buf, size_t size, const void *ptr);
/* Register a handler for %p<ext>; `ext` must be a letter not built in
 * (I, i, S, s, V, x are taken).  0 or -EINVAL/-EEXIST.  Before use. */
int umc_printk_register(char ext, umc_printk_ext_fn fn);

/* The kernel's struct ratelimit_state, usable as is by the kernel side
 * (DEFINE_RATELIMIT_STATE -> UMC_RATELIMIT_INIT). */
struct umc_ratelimit_state {
	uint32_t lock; /* runtime-internal; 0 initially */
	int interval;  /* jiffies; 0: never limit       */
	int burst;     /* messages per interval         */
	int printed;
	int missed;
	unsigned long begin; /* jiffies; 0: not started       */
	unsigned long flags; /* UMC_RATELIMIT_MSG_ON_RELEASE  */
};
#define UMC_RATELIMIT_MSG_ON_RELEASE 0x1ul
#define UMC_RATELIMIT_INIT(interval_jiffies, burst_count)        \
	{                                                        \
		0, (interval_jiffies), (burst_count), 0, 0, 0, 0 \
	}

/* ___ratelimit(): true when the caller may print.  When a new interval
 * starts after suppressions, logs "<func>: N callbacks suppressed" (unless
 * MSG_ON_RELEASE).  Contention on the state counts as "too busy": false.
 * Any context. */
bool umc_ratelimit(struct umc_ratelimit_state *rs, const char *func);

#ifdef __cplusplus
}
#endif

#endif /* UMC_WALL_PRINTK_H */

/* BUG() stops the process (a kernel oops has no safe continuation here);
 * WARN*() logs file:line and a backtrace and carries on, returning the
 * condition like the kernel's. */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H

#include <linux/compiler.h>
#include <linux/build_bug.h>
#include <linux/printk.h>

__noreturn __cold void __umc_bug(const char *file, int line);
__cold void __umc_warn(const char *file, int line);
__printf(1, 2) __cold void __warn_printk(const char *fmt, ...);

#define BUG() __umc_bug(__FILE__, __LINE__)
#define BUG_ON(condition) do { if (unlikely(condition)) BUG(); } while (0)

#define WARN_ON(condition) ({                                   \
	int __ret_warn_on = !!(condition);                      \
	if (unlikely(__ret_warn_on))                            \
		__umc_warn(__FILE__, __LINE__);                 \
	unlikely(__ret_warn_on); })
#define WARN(condition, format...) ({                           \
	int __ret_warn_on = !!(condition);                      \
	if (unlikely(__ret_warn_on)) {                          \
		__warn_printk(format);                          \
		__umc_warn(__FILE__, __LINE__);                 \
	}                                                       \
	unlikely(__ret_warn_on); })
#define WARN_TAINT(condition, taint, format...) WARN(condition, format)
#define __umc_once(cond, what) ({                               \
	static bool __section(".data.once") __already;          \
	int __ret_once = !!(cond);                              \
	if (unlikely(__ret_once && !__already)) {               \
		__already = true;                               \
		what;                                           \
	}                                                       \
	unlikely(__ret_once); })
#define WARN_ON_ONCE(condition) __umc_once(condition, __umc_warn(__FILE__, __LINE__))
#define WARN_ONCE(condition, format...) \
	__umc_once(condition, ({ __warn_printk(format); __umc_warn(__FILE__, __LINE__); }))

#endif

/* The kernel's catch-all header: basic helpers plus what it transitively
 * provided in 6.1 (hosted code relies on those transitive includes). */
#ifndef _LINUX_KERNEL_H
#define _LINUX_KERNEL_H

#include <linux/stdarg.h>
#include <linux/align.h>
#include <linux/array_size.h>
#include <linux/limits.h>
#include <linux/stddef.h>
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/container_of.h>
#include <linux/bitops.h>
#include <linux/kstrtox.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/typecheck.h>
#include <linux/panic.h>
#include <linux/printk.h>
#include <linux/build_bug.h>
#include <linux/sprintf.h>
#include <linux/instruction_pointer.h>
#include <linux/stringify.h>
#include <linux/bug.h>
#include <linux/err.h>
#include <asm/byteorder.h>

#define STACK_MAGIC 0xdeadbeef
#define REPEAT_BYTE(x) ((~0ul / 0xff) * (x))
#define upper_32_bits(n) ((u32)(((n) >> 16) >> 16))
#define lower_32_bits(n) ((u32)((n) & 0xffffffff))
#define upper_16_bits(n) ((u16)((n) >> 16))
#define lower_16_bits(n) ((u16)((n) & 0xffff))
#define u64_to_user_ptr(x) ((void __user *)(uintptr_t)(x))

#define might_sleep() do { } while (0)
#define might_sleep_if(cond) do { } while (0)
#define might_fault() do { } while (0)
#define might_resched() do { } while (0)
#define sched_annotate_sleep() do { } while (0)
#define non_block_start() do { } while (0)
#define non_block_end() do { } while (0)

/* In a kernel without a preemption model every thread is preemptible;
 * there is no "atomic context" to detect. */
#define in_interrupt() 0
#define in_irq() 0
#define in_softirq() 0
#define in_task() 1
#define in_atomic() 0

enum system_states {
	SYSTEM_BOOTING,
	SYSTEM_SCHEDULING,
	SYSTEM_FREEING_INITMEM,
	SYSTEM_RUNNING,
	SYSTEM_HALT,
	SYSTEM_POWER_OFF,
	SYSTEM_RESTART,
	SYSTEM_SUSPEND,
};
extern enum system_states system_state;

#define TAINT_FLAGS_COUNT 19
#define hex_asc "0123456789abcdef"
#define hex_asc_lo(x) hex_asc[((x) & 0x0f)]
#define hex_asc_hi(x) hex_asc[((x) & 0xf0) >> 4]
int hex_to_bin(unsigned char ch);

#endif

/* There are no hardware interrupts: what the kernel runs in interrupt or
 * softirq context (bio completion, timers) runs on other host threads, and
 * takes the same locks.  Masking interrupts is therefore a no-op; the
 * saved flags are a dummy. */
#ifndef _LINUX_IRQFLAGS_H
#define _LINUX_IRQFLAGS_H
#include <linux/typecheck.h>
#define local_irq_disable() do { } while (0)
#define local_irq_enable() do { } while (0)
#define local_irq_save(flags) do { typecheck(unsigned long, flags); (flags) = 0; } while (0)
#define local_irq_restore(flags) do { typecheck(unsigned long, flags); (void)(flags); } while (0)
#define irqs_disabled() 0
#define local_bh_disable() do { } while (0)
#define local_bh_enable() do { } while (0)
#define raw_local_irq_save(flags) local_irq_save(flags)
#define raw_local_irq_restore(flags) local_irq_restore(flags)
#endif

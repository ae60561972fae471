#ifndef _LINUX_PREEMPT_H
#define _LINUX_PREEMPT_H
/* Host threads are always preemptible; these only order the compiler. */
#define preempt_disable() barrier()
#define preempt_enable() barrier()
#define preempt_enable_no_resched() barrier()
#define preemptible() 1
#define preempt_count() 0
#define in_nmi() 0
#define in_hardirq() 0
#define in_serving_softirq() 0
#define migrate_disable() barrier()
#define migrate_enable() barrier()
#include <linux/compiler.h>
#endif

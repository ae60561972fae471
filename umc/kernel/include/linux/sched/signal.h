/* Emulated signals (umc/signal.h): DRBD stops its threads with SIGHUP;
 * a pending signal interrupts interruptible sleeps and socket waits. */
#ifndef _LINUX_SCHED_SIGNAL_H
#define _LINUX_SCHED_SIGNAL_H
#include <linux/sched.h>
#include <linux/signal.h>

/* send_sig(sig, task, priv): 0 or -errno. */
static inline int send_sig(int sig, struct task_struct *p, int priv) { return umc_signal_send(p->umc, sig); }
static inline int force_sig(int sig) { return umc_signal_force(current->umc, sig); }
static inline void flush_signals(struct task_struct *t) { umc_signal_flush(t->umc); }
#endif

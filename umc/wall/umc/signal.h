/*
 * umc/signal.h - emulated signals of umc tasks.
 *
 * Signals are bits on a task, never host signals (no pthread_kill, no
 * handlers, no EINTR games).  Numbers are Linux's (SIGHUP 1, SIGKILL 9,
 * SIGXCPU 24, ...), 1..64.
 *
 * Delivery: like the kernel, a kthread ignores every signal until it calls
 * umc_signal_allow() (allow_signal / allow_kernel_signal); a signal sent
 * to an ignored number is dropped.  Attached (non-kthread) tasks stand for
 * user processes and accept every signal.  umc_signal_force() delivers even
 * an ignored signal.
 *
 * Effect of a pending signal on the receiving task:
 *   - an INTERRUPTIBLE sleep (umc_schedule*, and the kernel side's wait
 *     queues built on them) returns at once / is woken;
 *   - UNINTERRUPTIBLE sleeps are not affected;
 *   - the task's signal fd (umc_signal_fd) is readable, so host waits such
 *     as the socket layer's poll([sockfd, sigfd]) return promptly.
 * The signal stays pending until umc_signal_flush().
 */
#ifndef UMC_WALL_SIGNAL_H
#define UMC_WALL_SIGNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct umc_task;

/* send_sig(): queue `sig` for `task` unless the task ignores it.  Returns 0,
 * or -EINVAL for a bad number.  Any thread. */
int umc_signal_send(struct umc_task *task, int sig);
/* force_sig(): as umc_signal_send, delivered even when ignored. */
int umc_signal_force(struct umc_task *task, int sig);

/* signal_pending(task). Any thread. */
bool umc_signal_pending(const struct umc_task *task);
/* The pending set (bit sig-1).  Any thread. */
uint64_t umc_signal_pending_set(const struct umc_task *task);

/* flush_signals(task): forget every pending signal. */
void umc_signal_flush(struct umc_task *task);

/* allow_signal()/allow_kernel_signal() and disallow_signal() for the
 * calling task. */
void umc_signal_allow(int sig);
void umc_signal_disallow(int sig);

/* An eventfd that is readable exactly while `task` has a signal pending
 * (created on first use, owned by the task, closed with it; never read or
 * close it yourself).  -errno on failure.  For host-level waits in the
 * calling task, e.g. poll() together with a socket fd. */
int umc_signal_fd(struct umc_task *task);

#ifdef __cplusplus
}
#endif

#endif /* UMC_WALL_SIGNAL_H */

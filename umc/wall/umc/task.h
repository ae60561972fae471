/*
 * umc/task.h - tasks (kernel threads and attached host threads), `current`,
 * task state and sleeping.
 *
 * Split of a task between the two sides of the wall
 *   C side  : the kernel's `struct task_struct` (comm, pid, plug, ...) with
 *             the layout the hosted code expects.  The runtime allocates it
 *             ("ktask") in the same block as its host part, sized and
 *             initialised by the hooks registered with umc_task_set_hooks().
 *   C++ side: `struct umc_task` (opaque): the host thread, the state word
 *             (a futex), pending/allowed signal bits, the signal eventfd,
 *             the kthread stop flag and result, a reference count.
 *
 * Every host thread has exactly one task while it runs kernel code:
 *   - kthreads made by umc_kthread_create() get theirs at creation;
 *   - any other thread (the main thread, FUSE workers, event-task
 *     callbacks, gtest) gets one attached lazily on its first call that
 *     needs `current` (umc_current(), rcu, sleeping, signals...).  It is
 *     named after the host thread and freed when the thread ends.
 * Attaching also registers the thread with RCU (umc/rcu.h).
 *
 * Task states use the kernel's values; the state word lives in the runtime,
 * so set_current_state()/__set_current_state() must call
 * umc_set_current_state().
 *
 * Sleeping follows the kernel's lost-wakeup-free protocol:
 *     umc_set_current_state(UMC_TASK_INTERRUPTIBLE);   // full barrier
 *     if (!condition) umc_schedule();                  // sleeps unless woken
 *     umc_set_current_state(UMC_TASK_RUNNING);
 * A waker makes `condition` true and then calls umc_task_wake(); a wake that
 * lands between set_state and schedule turns the state back to RUNNING so
 * that schedule returns at once.  No polling anywhere: sleeps are futex
 * waits with an absolute CLOCK_MONOTONIC deadline.
 */
#ifndef UMC_WALL_TASK_H
#define UMC_WALL_TASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct umc_task; /* opaque host part of a task */

/* Task states (same values as the kernel's). */
#define UMC_TASK_RUNNING         0x0000u
#define UMC_TASK_INTERRUPTIBLE   0x0001u /* woken by a pending signal too   */
#define UMC_TASK_UNINTERRUPTIBLE 0x0002u /* ignores signals                 */
#define UMC_TASK_NORMAL          (UMC_TASK_INTERRUPTIBLE | UMC_TASK_UNINTERRUPTIBLE)
#define UMC_TASK_NOLOAD          0x0400u /* with UNINTERRUPTIBLE: TASK_IDLE */

/* schedule_timeout() argument meaning "no timeout" (LONG_MAX). */
#define UMC_MAX_SCHEDULE_TIMEOUT ((long)(~0UL >> 1))

#define UMC_TASK_COMM_LEN 16

/* How the kernel side's struct task_struct is made.  Register once, before
 * umc_runtime_init() (later tasks only; the runtime does not re-create). */
struct umc_task_hooks {
	/* sizeof(struct task_struct); 0: no ktask (umc_task_kernel() -> NULL). */
	size_t ktask_size;
	/* Initialise a zero-filled ktask: store `task` for the way back, copy
	 * `comm`, set `pid`.  Runs on the creating thread (for attached tasks:
	 * the thread itself).  May be NULL. */
	void (*ktask_init)(void *ktask, struct umc_task *task, const char *comm, int pid);
	/* Called when the last reference goes, before the memory is freed.
	 * May be NULL.  Runs on whichever thread drops the last reference. */
	void (*ktask_release)(void *ktask);
	/* A runtime wait (a socket's) is about to block the calling task, as
	 * the kernel's schedule() runs sched_submit_work(): the kernel side
	 * flushes the task's block plug, so that I/O it holds back never
	 * waits on the sleeper.  Runs on the task's own thread, which may hold
	 * kernel locks but no runtime lock.  May be NULL. */
	void (*before_sleep)(void *ktask);
};
void umc_task_set_hooks(const struct umc_task_hooks *hooks);

/* ---- current --------------------------------------------------------------- */

/* The calling thread's task; attaches one when there is none (never NULL
 * while the runtime runs).  Any thread. */
struct umc_task *umc_current(void);
/* The calling thread's ktask (the kernel's `current`); attaches lazily. */
void *umc_current_kernel(void);
/* The ktask of `task`, and back (O(1): the runtime keeps a pointer in
 * front of every ktask it made; NULL gives NULL). */
void *umc_task_kernel(const struct umc_task *task);
struct umc_task *umc_task_from_kernel(const void *ktask);

/* Reference counting (get_task_struct/put_task_struct).  A kthread holds
 * a reference while it runs; an attached task while its thread lives. */
void umc_task_get(struct umc_task *task);
void umc_task_put(struct umc_task *task);

/* umc-local pid: unique, never reused within the process, > 0. */
int umc_task_pid(const struct umc_task *task);
/* The name given at creation (NUL-terminated, < UMC_TASK_COMM_LEN).  The
 * ktask's own `comm` is the kernel side's; this copy names host threads. */
const char *umc_task_comm(const struct umc_task *task);
/* True for tasks made by umc_kthread_create(). */
bool umc_task_is_kthread(const struct umc_task *task);

/* Capabilities (bit n = capability n, Linux numbering: CAP_NET_ADMIN 12,
 * CAP_SYS_ADMIN 21).  Kthreads have all; an attached task starts with all
 * when the process runs as root (euid 0), else none.  A server that runs
 * kernel code on behalf of a client (the genetlink server impersonating
 * drbdsetup, whose SO_PEERCRED it checked) narrows its own set. */
void umc_task_set_caps(struct umc_task *task, uint64_t caps);
uint64_t umc_task_caps(const struct umc_task *task);
/* capable(cap) for the calling task. */
bool umc_capable(int cap);

/* ---- kernel threads ----------------------------------------------------------- */

/* Create a kernel thread that will run fn(data).  Like kthread_create(),
 * the thread is created *stopped* (state UNINTERRUPTIBLE) and starts when
 * woken (umc_task_wake / wake_up_process).  `name` is the formatted name.
 * The new thread ignores all signals until it allows some (umc/signal.h).
 * Returns the task or NULL with *err (-ENOMEM, -EAGAIN).  The thread's own
 * reference is dropped when fn returns; a thread that exits by itself is
 * reaped (joined) by the runtime.  Calling context: process (any task). */
struct umc_task *umc_kthread_create(int (*fn)(void *data), void *data, const char *name, int *err);

/* kthread_stop(): set the stop flag, wake the thread and wait until it
 * exits; returns fn's result, or -EINTR when it was never woken (fn does
 * not run then).  The task must still be referenced by the caller or by
 * its running thread.  Not from the thread itself. */
int umc_kthread_stop(struct umc_task *task);

/* kthread_should_stop() for the calling kthread (false elsewhere). */
bool umc_kthread_should_stop(void);

/* ---- state and sleeping --------------------------------------------------- */

/* Set the calling task's state with a full memory barrier (set_current_state). */
void umc_set_current_state(unsigned int state);
/* Read a task's state (READ_ONCE(p->__state)). */
unsigned int umc_task_state(const struct umc_task *task);

/* Sleep until woken when the state is not RUNNING; return at once when it
 * is RUNNING (a wake already came) or when it is INTERRUPTIBLE and a signal
 * is pending.  Returns with the state RUNNING.  Process context only. */
void umc_schedule(void);

/* schedule_timeout(): as umc_schedule() but also wakes when `timeout`
 * jiffies have passed.  Returns the jiffies left (0 when it timed out);
 * UMC_MAX_SCHEDULE_TIMEOUT sleeps without limit and returns it; a negative
 * timeout is logged and returns 0 at once, as in the kernel. */
long umc_schedule_timeout(long timeout);

/* try_to_wake_up(): if the task's state intersects `state_mask`, make it
 * RUNNING and wake it; returns true if it did.  wake_up_process() is
 * umc_task_wake(p, UMC_TASK_NORMAL).  Any thread, any context. */
bool umc_task_wake(struct umc_task *task, unsigned int state_mask);

/* ---- host wait words (for the kernel side's spinlocks and mutexes) -------- */

/* Sleep while *word == expected (a futex wait).  deadline_ns is an absolute
 * CLOCK_MONOTONIC time, 0 for none.  Returns 0 when woken or the value
 * differed, -ETIMEDOUT.  Spurious returns are possible: recheck.  Does not
 * look at task state or signals. */
int umc_wait_word(uint32_t *word, uint32_t expected, uint64_t deadline_ns);
/* Wake up to `count` waiters on word (INT32_MAX: all). */
void umc_wake_word(uint32_t *word, int count);

#ifdef __cplusplus
}
#endif

#endif /* UMC_WALL_TASK_H */

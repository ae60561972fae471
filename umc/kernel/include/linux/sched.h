/* Tasks.  Every host thread running kernel code has a task (umc/task.h);
 * struct task_struct is the kernel-side part the runtime allocates with it
 * (registered by umc/kernel/umc/lifecycle.c), so `current->comm`, `->pid` and
 * `->plug` are plain fields. */
#ifndef _LINUX_SCHED_H
#define _LINUX_SCHED_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/jiffies.h>
#include <linux/spinlock.h>
#include <linux/cpumask.h>
#include <linux/refcount.h>
#include <linux/capability.h>
#include <umc/task.h>
#include <umc/signal.h>

#define TASK_RUNNING UMC_TASK_RUNNING
#define TASK_INTERRUPTIBLE UMC_TASK_INTERRUPTIBLE
#define TASK_UNINTERRUPTIBLE UMC_TASK_UNINTERRUPTIBLE
#define TASK_NOLOAD UMC_TASK_NOLOAD
#define TASK_WAKEKILL 0x0100
#define TASK_KILLABLE (TASK_WAKEKILL | TASK_UNINTERRUPTIBLE)
#define TASK_IDLE (TASK_UNINTERRUPTIBLE | TASK_NOLOAD)
#define TASK_NORMAL (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)
#define TASK_COMM_LEN UMC_TASK_COMM_LEN
#define MAX_SCHEDULE_TIMEOUT UMC_MAX_SCHEDULE_TIMEOUT
#define PF_KTHREAD 0x00200000
#define PF_MEMALLOC 0x00000800
#define PF_NOFREEZE 0x00008000

struct blk_plug;
struct bio_list;
struct mm_struct;

struct task_struct {
	struct umc_task *umc;   /* the runtime's task (the way back) */
	pid_t pid;
	pid_t tgid;
	unsigned int flags;
	char comm[TASK_COMM_LEN];
	struct blk_plug *plug;  /* current->plug: blk_start_plug/finish_plug */
	struct bio_list *bio_list; /* bios submitted while submitting (no recursion) */
	struct mm_struct *mm;   /* always NULL: no user address space */
	void *journal_info;
};

static __always_inline struct task_struct *get_current(void)
{
	return (struct task_struct *)umc_current_kernel();
}
#define current get_current()

#define set_current_state(state_value) umc_set_current_state(state_value)
#define __set_current_state(state_value) umc_set_current_state(state_value)
#define get_current_state() umc_task_state(current->umc)
#define task_is_running(task) (umc_task_state((task)->umc) == TASK_RUNNING)

static inline pid_t task_pid_nr(struct task_struct *tsk) { return tsk->pid; }
static inline pid_t task_tgid_nr(struct task_struct *tsk) { return tsk->tgid; }
static inline pid_t task_pid_vnr(struct task_struct *tsk) { return tsk->pid; }
static inline char *get_task_comm_buf(char *buf, size_t n, struct task_struct *tsk)
{
	strscpy(buf, tsk->comm, n);
	return buf;
}
#define get_task_comm(buf, tsk) get_task_comm_buf(buf, sizeof(buf), tsk)
static inline void get_task_struct(struct task_struct *t) { umc_task_get(t->umc); }
static inline void put_task_struct(struct task_struct *t) { umc_task_put(t->umc); }

/* Like the kernel's sched_submit_work(): a task going to sleep with a plug
 * first runs the plug's callbacks (umc/kernel/block/blk-core.c). */
void __umc_flush_plug_on_schedule(struct task_struct *tsk);
static __always_inline void __umc_before_sleep(void)
{
	struct task_struct *tsk = current;

	if (unlikely(tsk->plug))
		__umc_flush_plug_on_schedule(tsk);
}
static inline void schedule(void)
{
	__umc_before_sleep();
	umc_schedule();
}
static inline void io_schedule(void) { schedule(); }
static inline long schedule_timeout(long timeout)
{
	__umc_before_sleep();
	return umc_schedule_timeout(timeout);
}
static inline long io_schedule_timeout(long timeout) { return schedule_timeout(timeout); }
static inline long schedule_timeout_interruptible(long timeout)
{
	__set_current_state(TASK_INTERRUPTIBLE);
	return schedule_timeout(timeout);
}
static inline long schedule_timeout_uninterruptible(long timeout)
{
	__set_current_state(TASK_UNINTERRUPTIBLE);
	return schedule_timeout(timeout);
}
static inline long schedule_timeout_killable(long timeout)
{
	__set_current_state(TASK_KILLABLE);
	return schedule_timeout(timeout);
}
static inline long schedule_timeout_idle(long timeout)
{
	__set_current_state(TASK_IDLE);
	return schedule_timeout(timeout);
}
static inline int wake_up_process(struct task_struct *p) { return umc_task_wake(p->umc, TASK_NORMAL); }
static inline int wake_up_state(struct task_struct *p, unsigned int state) { return umc_task_wake(p->umc, state); }
/* Host threads are preempted by the host scheduler. */
#define cond_resched() ({ 0; })
#define cond_resched_lock(lock) ({ 0; })
static inline void yield(void) { }

/* Scheduling policy and CPU placement are left to the host. */
static inline void sched_set_fifo_low(struct task_struct *p) { (void)p; }
static inline void sched_set_fifo(struct task_struct *p) { (void)p; }
static inline void sched_set_normal(struct task_struct *p, int nice) { (void)p; (void)nice; }
static inline int set_cpus_allowed_ptr(struct task_struct *p, const struct cpumask *new_mask)
{
	(void)p;
	(void)new_mask;
	return 0;
}
static inline int task_cpu(const struct task_struct *p) { return 0; }
static inline unsigned int task_state_index(struct task_struct *tsk) { return 0; }
static inline int signal_pending(struct task_struct *p) { return umc_signal_pending(p->umc); }
static inline int fatal_signal_pending(struct task_struct *p) { return umc_signal_pending(p->umc); }
static inline int signal_pending_state(unsigned int state, struct task_struct *p)
{
	if (!(state & (TASK_INTERRUPTIBLE | TASK_WAKEKILL)))
		return 0;
	return signal_pending(p);
}

#endif

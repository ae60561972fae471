/* Wait queues: the kernel's protocol (prepare_to_wait / condition check /
 * schedule / finish_wait), implemented in umc/kernel/kernel/sched/wait.c on the
 * runtime's task states, so wake-ups are never lost and interruptible waits
 * end when a signal is pending. */
#ifndef _LINUX_WAIT_H
#define _LINUX_WAIT_H

#include <linux/list.h>
#include <linux/stddef.h>
#include <linux/spinlock.h>
#include <linux/sched.h>

typedef struct wait_queue_entry wait_queue_entry_t;
typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry, unsigned mode, int flags, void *key);

#define WQ_FLAG_EXCLUSIVE 0x01
#define WQ_FLAG_WOKEN 0x02

struct wait_queue_entry {
	unsigned int flags;
	void *private;            /* the waiting task_struct */
	wait_queue_func_t func;
	struct list_head entry;
};

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};
typedef struct wait_queue_head wait_queue_head_t;

int default_wake_function(struct wait_queue_entry *wq_entry, unsigned mode, int flags, void *key);
int autoremove_wake_function(struct wait_queue_entry *wq_entry, unsigned mode, int sync, void *key);
int woken_wake_function(struct wait_queue_entry *wq_entry, unsigned mode, int sync, void *key);

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) { .lock = __SPIN_LOCK_UNLOCKED(name.lock), .head = LIST_HEAD_INIT(name.head) }
#define DECLARE_WAIT_QUEUE_HEAD(name) struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)
#define DECLARE_WAIT_QUEUE_HEAD_ONSTACK(name) DECLARE_WAIT_QUEUE_HEAD(name)
static inline void init_waitqueue_head(struct wait_queue_head *wq_head)
{
	spin_lock_init(&wq_head->lock);
	INIT_LIST_HEAD(&wq_head->head);
}
static inline void init_waitqueue_entry(struct wait_queue_entry *wq_entry, struct task_struct *p)
{
	wq_entry->flags = 0;
	wq_entry->private = p;
	wq_entry->func = default_wake_function;
}
#define DEFINE_WAIT_FUNC(name, function)                          \
	struct wait_queue_entry name = {                          \
		.private = current,                               \
		.func = function,                                 \
		.entry = LIST_HEAD_INIT((name).entry),            \
	}
#define DEFINE_WAIT(name) DEFINE_WAIT_FUNC(name, autoremove_wake_function)
#define DECLARE_WAITQUEUE(name, tsk) \
	struct wait_queue_entry name = { .private = tsk, .func = default_wake_function, .entry = { NULL, NULL } }

static inline int waitqueue_active(struct wait_queue_head *wq_head) { return !list_empty(&wq_head->head); }
static inline bool wq_has_sleeper(struct wait_queue_head *wq_head)
{
	smp_mb();
	return waitqueue_active(wq_head);
}

void add_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
void add_wait_queue_exclusive(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
void remove_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
void prepare_to_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry, int state);
bool prepare_to_wait_exclusive(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry, int state);
void init_wait_entry(struct wait_queue_entry *wq_entry, int flags);
long prepare_to_wait_event(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry, int state);
void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
void __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr, void *key);
void __wake_up_locked(struct wait_queue_head *wq_head, unsigned int mode, int nr);

#define wake_up(x) __wake_up(x, TASK_NORMAL, 1, NULL)
#define wake_up_nr(x, nr) __wake_up(x, TASK_NORMAL, nr, NULL)
#define wake_up_all(x) __wake_up(x, TASK_NORMAL, 0, NULL)
#define wake_up_locked(x) __wake_up_locked((x), TASK_NORMAL, 1)
#define wake_up_all_locked(x) __wake_up_locked((x), TASK_NORMAL, 0)
#define wake_up_interruptible(x) __wake_up(x, TASK_INTERRUPTIBLE, 1, NULL)
#define wake_up_interruptible_all(x) __wake_up(x, TASK_INTERRUPTIBLE, 0, NULL)
#define wake_up_interruptible_nr(x, nr) __wake_up(x, TASK_INTERRUPTIBLE, nr, NULL)

#define ___wait_is_interruptible(state) \
	(!__builtin_constant_p(state) || (state) == TASK_INTERRUPTIBLE || (state) == TASK_KILLABLE)

/* The kernel's wait loop: @condition is re-checked after every wake-up and
 * after queueing (so a wake between check and sleep is not lost). */
#define ___wait_event(wq_head, condition, state, exclusive, ret, cmd)                    \
	({                                                                               \
		__label__ __out;                                                         \
		struct wait_queue_entry __wq_entry;                                      \
		long __ret = ret;                                                        \
		init_wait_entry(&__wq_entry, exclusive ? WQ_FLAG_EXCLUSIVE : 0);         \
		for (;;) {                                                               \
			long __int = prepare_to_wait_event(&wq_head, &__wq_entry, state);\
			if (condition)                                                   \
				break;                                                   \
			if (___wait_is_interruptible(state) && __int) {                  \
				__ret = __int;                                           \
				goto __out;                                              \
			}                                                                \
			cmd;                                                             \
		}                                                                        \
		finish_wait(&wq_head, &__wq_entry);                                      \
	__out:	__ret;                                                                   \
	})

#define __wait_event(wq_head, condition) \
	(void)___wait_event(wq_head, condition, TASK_UNINTERRUPTIBLE, 0, 0, schedule())
#define wait_event(wq_head, condition)              \
	do {                                        \
		might_sleep();                      \
		if (condition)                      \
			break;                      \
		__wait_event(wq_head, condition);   \
	} while (0)

#define ___wait_cond_timeout(condition)                  \
	({                                               \
		bool __cond = (condition);               \
		if (__cond && !__ret)                    \
			__ret = 1;                       \
		__cond || !__ret;                        \
	})

#define __wait_event_timeout(wq_head, condition, timeout) \
	___wait_event(wq_head, ___wait_cond_timeout(condition), TASK_UNINTERRUPTIBLE, 0, timeout, \
		      __ret = schedule_timeout(__ret))
/* 0 if @timeout elapsed with the condition false, else the jiffies left (>= 1). */
#define wait_event_timeout(wq_head, condition, timeout)                      \
	({                                                                   \
		long __ret = timeout;                                        \
		if (!___wait_cond_timeout(condition))                        \
			__ret = __wait_event_timeout(wq_head, condition, timeout); \
		__ret;                                                       \
	})

#define __wait_event_cmd(wq_head, condition, cmd1, cmd2) \
	(void)___wait_event(wq_head, condition, TASK_UNINTERRUPTIBLE, 0, 0, cmd1; schedule(); cmd2)
#define wait_event_cmd(wq_head, condition, cmd1, cmd2)          \
	do {                                                    \
		if (condition)                                  \
			break;                                  \
		__wait_event_cmd(wq_head, condition, cmd1, cmd2); \
	} while (0)

#define __wait_event_interruptible(wq_head, condition) \
	___wait_event(wq_head, condition, TASK_INTERRUPTIBLE, 0, 0, schedule())
/* 0 when @condition became true, -ERESTARTSYS when a signal interrupted. */
#define wait_event_interruptible(wq_head, condition)                      \
	({                                                                \
		int __ret = 0;                                            \
		might_sleep();                                            \
		if (!(condition))                                         \
			__ret = __wait_event_interruptible(wq_head, condition); \
		__ret;                                                    \
	})

#define __wait_event_interruptible_timeout(wq_head, condition, timeout) \
	___wait_event(wq_head, ___wait_cond_timeout(condition), TASK_INTERRUPTIBLE, 0, timeout, \
		      __ret = schedule_timeout(__ret))
#define wait_event_interruptible_timeout(wq_head, condition, timeout)         \
	({                                                                    \
		long __ret = timeout;                                         \
		might_sleep();                                                \
		if (!___wait_cond_timeout(condition))                         \
			__ret = __wait_event_interruptible_timeout(wq_head, condition, timeout); \
		__ret;                                                        \
	})

#define __wait_event_killable(wq_head, condition) \
	___wait_event(wq_head, condition, TASK_KILLABLE, 0, 0, schedule())
#define wait_event_killable(wq_head, condition)                      \
	({                                                           \
		int __ret = 0;                                       \
		if (!(condition))                                    \
			__ret = __wait_event_killable(wq_head, condition); \
		__ret;                                               \
	})

/* Called with @lock held (spin_lock_irq); dropped while sleeping. */
#define __wait_event_lock_irq(wq_head, condition, lock, cmd) \
	(void)___wait_event(wq_head, condition, TASK_UNINTERRUPTIBLE, 0, 0, \
			    spin_unlock_irq(&lock); cmd; schedule(); spin_lock_irq(&lock))
#define wait_event_lock_irq_cmd(wq_head, condition, lock, cmd)          \
	do {                                                            \
		if (condition)                                          \
			break;                                          \
		__wait_event_lock_irq(wq_head, condition, lock, cmd);   \
	} while (0)
#define wait_event_lock_irq(wq_head, condition, lock)                   \
	do {                                                            \
		if (condition)                                          \
			break;                                          \
		__wait_event_lock_irq(wq_head, condition, lock, );      \
	} while (0)
#define __wait_event_interruptible_lock_irq(wq_head, condition, lock, cmd) \
	___wait_event(wq_head, condition, TASK_INTERRUPTIBLE, 0, 0,        \
		      spin_unlock_irq(&lock); cmd; schedule(); spin_lock_irq(&lock))
#define wait_event_interruptible_lock_irq(wq_head, condition, lock)             \
	({                                                                      \
		int __ret = 0;                                                  \
		if (!(condition))                                               \
			__ret = __wait_event_interruptible_lock_irq(wq_head, condition, lock, ); \
		__ret;                                                          \
	})

#endif

/* Kernel threads are host threads (umc/task.h): created stopped, started
 * by wake_up_process(), stopped with kthread_stop(). */
#ifndef _LINUX_KTHREAD_H
#define _LINUX_KTHREAD_H
#include <linux/err.h>
#include <linux/numa.h>
#include <linux/sched.h>

__printf(4, 5) struct task_struct *kthread_create_on_node(int (*threadfn)(void *data), void *data, int node,
							  const char namefmt[], ...);
#define kthread_create(threadfn, data, namefmt, arg...) \
	kthread_create_on_node(threadfn, data, NUMA_NO_NODE, namefmt, ##arg)
#define kthread_run(threadfn, data, namefmt, ...)                                  \
	({                                                                         \
		struct task_struct *__k = kthread_create(threadfn, data, namefmt, ##__VA_ARGS__); \
		if (!IS_ERR(__k))                                                  \
			wake_up_process(__k);                                      \
		__k;                                                               \
	})
int kthread_stop(struct task_struct *k);
static inline bool kthread_should_stop(void) { return umc_kthread_should_stop(); }
static inline void kthread_bind(struct task_struct *k, unsigned int cpu) { (void)k; (void)cpu; }
#endif

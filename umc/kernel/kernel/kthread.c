// SPDX-License-Identifier: GPL-2.0
/* Kernel threads: the runtime's kthreads (umc/task.h), seen through their
 * struct task_struct (made by the task hooks of umc/lifecycle.c). */
#include <linux/sched.h>
#include <linux/kthread.h>
#include <linux/string.h>
#include <linux/err.h>

struct task_struct *kthread_create_on_node(int (*threadfn)(void *data), void *data, int node, const char namefmt[], ...)
{
	char name[TASK_COMM_LEN];
	struct umc_task *task;
	va_list args;
	int err = 0;

	va_start(args, namefmt);
	vsnprintf(name, sizeof(name), namefmt, args);
	va_end(args);
	task = umc_kthread_create(threadfn, data, name, &err);
	if (!task)
		return ERR_PTR(err ? err : -ENOMEM);
	return umc_task_kernel(task);
}

int kthread_stop(struct task_struct *k)
{
	return umc_kthread_stop(k->umc);
}

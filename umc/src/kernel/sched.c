// SPDX-License-Identifier: GPL-2.0
/* Tasks and kernel threads: the kernel side's struct task_struct lives in
 * the runtime's task block (umc/task.h hooks); kthreads are the runtime's. */
#include <linux/sched.h>
#include <linux/kthread.h>
#include <linux/cpumask.h>
#include <linux/string.h>
#include <linux/err.h>
#include <linux/umc_kernel.h>

static void ktask_init(void *ktask, struct umc_task *task, const char *comm, int pid)
{
	struct task_struct *t = ktask;

	t->umc = task;
	t->pid = pid;
	t->tgid = pid;
	strscpy(t->comm, comm, sizeof(t->comm));
	if (umc_task_is_kthread(task))
		t->flags |= PF_KTHREAD;
}

static const struct umc_task_hooks ktask_hooks = {
	.ktask_size = sizeof(struct task_struct),
	.ktask_init = ktask_init,
	.ktask_release = NULL,
};

void umc_kernel_prepare(void)
{
	umc_task_set_hooks(&ktask_hooks);
}

void __umc_bio_shutdown(void);
void __umc_params_shutdown(void);

void umc_kernel_shutdown(void)
{
	__umc_bio_shutdown();
	__umc_params_shutdown();
}

struct task_struct *kthread_create_on_node(int (*threadfn)(void *data), void *data, int node,
					   const char namefmt[], ...)
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

static struct cpumask online_mask;

const struct cpumask *__umc_cpu_online_mask(void)
{
	/* Filled on first use: every CPU the runtime reports is online. */
	if (cpumask_empty(&online_mask))
		bitmap_fill(cpumask_bits(&online_mask), min_t(unsigned int, nr_cpu_ids, NR_CPUS));
	return &online_mask;
}

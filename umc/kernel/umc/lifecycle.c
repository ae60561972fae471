// SPDX-License-Identifier: GPL-2.0
/* The kernel side's life cycle as the host program drives it
 * (umc/kernel_host.h): the task hooks that put a struct task_struct in every
 * runtime task, and the teardown after the module's exit. */
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <umc/kernel_private.h>

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

/* A runtime wait (a socket's) blocks: what schedule() does first. */
static void ktask_before_sleep(void *ktask)
{
	struct task_struct *t = ktask;

	if (t->plug)
		__umc_flush_plug_on_schedule(t);
}

static const struct umc_task_hooks ktask_hooks = {
	.ktask_size = sizeof(struct task_struct),
	.ktask_init = ktask_init,
	.ktask_release = NULL,
	.before_sleep = ktask_before_sleep,
};

int umc_kernel_prepare(unsigned int host_version)
{
	/* The host program and this object were compiled against their own
	 * copies of umc/kernel_host.h: refuse a pair that disagree. */
	if (host_version != UMC_KERNEL_HOST_VERSION)
		return -EPROTO;
	umc_task_set_hooks(&ktask_hooks);
	return 0;
}

void umc_kernel_shutdown(void)
{
	__umc_bio_shutdown();
	__umc_params_shutdown();
}

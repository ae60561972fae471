// SPDX-License-Identifier: GPL-2.0
/* See kthread_driver.h. */
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/sched.h>
#include <linux/string.h>
#include "kthread_driver.h"

/* Threads the test will kthread_stop() wait here, so that the test ends
 * only after every thread it made has exited. */
void park_until_stopped(void)
{
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
}

struct life {
	struct completion ran;
	char comm[TASK_COMM_LEN];
};

static int life_fn(void *data)
{
	struct life *l = data;

	strscpy(l->comm, current->comm, sizeof(l->comm));
	complete(&l->ran);
	park_until_stopped();
	return 42;
}

int ksd_kthread_lifecycle(void)
{
	struct life l;
	struct task_struct *t;
	int result = 0;

	init_completion(&l.ran);
	t = kthread_create(life_fn, &l, "ksd_%s_%d", "life", 7);
	if (IS_ERR(t))
		return -100;
	if (!try_wait_for_completion(&l.ran))
		result |= 1;
	wake_up_process(t);
	wait_for_completion(&l.ran);
	result |= 2;
	if (kthread_stop(t) == 42)
		result |= 4;
	if (!strcmp(l.comm, "ksd_life_7"))
		result |= 8;
	return result;
}

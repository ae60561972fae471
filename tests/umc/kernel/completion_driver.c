// SPDX-License-Identifier: GPL-2.0
/* See completion_driver.h. */
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/atomic.h>
#include "completion_driver.h"
#include "kthread_driver.h"

long ksd_completion_timeout(void)
{
	struct completion c;

	init_completion(&c);
	return wait_for_completion_interruptible_timeout(&c, 20);
}

long ksd_completion_done_before(void)
{
	struct completion c;

	init_completion(&c);
	complete(&c);
	return wait_for_completion_interruptible_timeout(&c, 1000);
}

struct gate {
	struct completion open;
	atomic_t passed;
	struct completion all_passed;
	int n;
};

static int gate_fn(void *data)
{
	struct gate *g = data;

	wait_for_completion(&g->open);
	if (atomic_inc_return(&g->passed) == g->n)
		complete(&g->all_passed);
	park_until_stopped();
	return 0;
}

int ksd_complete_all_releases(int n)
{
	struct gate g = {.n = n};
	struct task_struct *t[16];
	int i;

	if (n > 16)
		return -1;
	init_completion(&g.open);
	init_completion(&g.all_passed);
	atomic_set(&g.passed, 0);
	for (i = 0; i < n; i++) {
		t[i] = kthread_run(gate_fn, &g, "ksd_gate%d", i);
		if (IS_ERR(t[i]))
			return -2;
	}
	complete_all(&g.open);
	wait_for_completion(&g.all_passed);
	/* Still completed: a late waiter passes too. */
	wait_for_completion(&g.open);
	for (i = 0; i < n; i++)
		kthread_stop(t[i]);
	return atomic_read(&g.passed);
}

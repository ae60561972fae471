// SPDX-License-Identifier: GPL-2.0
/* See locking_driver.h. */
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/completion.h>
#include "locking_driver.h"
#include "kthread_driver.h"

struct counter {
	struct mutex m;
	spinlock_t s;
	bool use_mutex;
	long value;
	int iterations;
	atomic_t finished;
	struct completion all_done;
	int n;
};

static int count_fn(void *data)
{
	struct counter *c = data;
	int i;

	for (i = 0; i < c->iterations; i++) {
		if (c->use_mutex) {
			mutex_lock(&c->m);
			c->value++;
			mutex_unlock(&c->m);
		} else {
			spin_lock_irq(&c->s);
			c->value++;
			spin_unlock_irq(&c->s);
		}
	}
	if (atomic_inc_return(&c->finished) == c->n)
		complete(&c->all_done);
	park_until_stopped();
	return 0;
}

static long run_counter(int n, int iterations, bool use_mutex)
{
	struct counter c = {.use_mutex = use_mutex, .iterations = iterations, .n = n};
	struct task_struct *t[16];
	int i;

	if (n > 16)
		return -2;
	mutex_init(&c.m);
	spin_lock_init(&c.s);
	atomic_set(&c.finished, 0);
	init_completion(&c.all_done);
	for (i = 0; i < n; i++) {
		t[i] = kthread_run(count_fn, &c, "ksd_count%d", i);
		if (IS_ERR(t[i]))
			return -3;
	}
	wait_for_completion(&c.all_done);
	for (i = 0; i < n; i++)
		kthread_stop(t[i]);
	if (mutex_is_locked(&c.m))
		return -1;
	return c.value;
}

long ksd_mutex_counter(int n, int iterations)
{
	return run_counter(n, iterations, true);
}
long ksd_spinlock_counter(int n, int iterations)
{
	return run_counter(n, iterations, false);
}

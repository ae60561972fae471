// SPDX-License-Identifier: GPL-2.0
/* See wait_queue_driver.h. */
#include <linux/kthread.h>
#include <linux/wait.h>
#include <linux/completion.h>
#include <linux/sched/signal.h>
#include "wait_queue_driver.h"
#include "kthread_driver.h"

struct waiter {
	wait_queue_head_t wq;
	int flag;
	long ret;
	struct completion done;
};

static int wait_fn(void *data)
{
	struct waiter *w = data;

	wait_event(w->wq, READ_ONCE(w->flag));
	complete(&w->done);
	park_until_stopped();
	return 0;
}

int ksd_wait_event_wakes_waiter(void)
{
	struct waiter w = {.flag = 0};
	struct task_struct *t;

	init_waitqueue_head(&w.wq);
	init_completion(&w.done);
	t = kthread_run(wait_fn, &w, "ksd_wait");
	if (IS_ERR(t))
		return -1;
	/* The waiter may or may not be asleep yet: either way it must see it. */
	WRITE_ONCE(w.flag, 1);
	wake_up(&w.wq);
	wait_for_completion(&w.done);
	kthread_stop(t);
	return 0;
}

struct sigwaiter {
	wait_queue_head_t wq;
	struct completion ready, done;
	long ret;
};

static int sigwait_fn(void *data)
{
	struct sigwaiter *w = data;

	allow_kernel_signal(SIGHUP);
	complete(&w->ready);
	w->ret = wait_event_interruptible(w->wq, 0);
	flush_signals(current);
	complete(&w->done);
	park_until_stopped();
	return 0;
}

int ksd_wait_event_interrupted_by_signal(void)
{
	struct sigwaiter w;
	struct task_struct *t;

	init_waitqueue_head(&w.wq);
	init_completion(&w.ready);
	init_completion(&w.done);
	w.ret = 1;
	t = kthread_run(sigwait_fn, &w, "ksd_sigwait");
	if (IS_ERR(t))
		return -1;
	wait_for_completion(&w.ready);
	send_sig(SIGHUP, t, 1);
	wait_for_completion(&w.done);
	kthread_stop(t);
	return (int)w.ret;
}

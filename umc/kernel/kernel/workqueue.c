// SPDX-License-Identifier: GPL-2.0
/* Workqueues: struct workqueue_struct is the runtime's queue; the runtime
 * calls back with the work item, which we dispatch to its function. */
#include <linux/workqueue.h>
#include <linux/kernel.h>
#include <linux/sprintf.h>

static void run_work(void *work)
{
	struct work_struct *w = work;

	w->func(w);
}

struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags, int max_active, ...)
{
	char name[64];
	va_list args;

	va_start(args, max_active);
	vsnprintf(name, sizeof(name), fmt, args);
	va_end(args);
	return (struct workqueue_struct *)umc_wq_create(name, (flags & __WQ_ORDERED) ? UMC_WQ_ORDERED : 0,
							(flags & __WQ_ORDERED) ? 1 : max_active);
}

void destroy_workqueue(struct workqueue_struct *wq)
{
	umc_wq_destroy((struct umc_workqueue *)wq);
}

bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	return umc_wq_queue((struct umc_workqueue *)wq, work, run_work);
}

void flush_workqueue(struct workqueue_struct *wq)
{
	umc_wq_flush((struct umc_workqueue *)wq);
}

void drain_workqueue(struct workqueue_struct *wq)
{
	umc_wq_flush((struct umc_workqueue *)wq);
}

bool flush_work(struct work_struct *work)
{
	return umc_work_flush(work);
}
bool cancel_work_sync(struct work_struct *work)
{
	return umc_work_cancel_sync(work);
}
bool cancel_work(struct work_struct *work)
{
	return umc_work_cancel(work);
}

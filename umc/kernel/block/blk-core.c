// SPDX-License-Identifier: GPL-2.0
/* Plugging: while a task holds a plug, drivers may defer work and register
 * a callback with blk_check_plugged(); the callbacks run when the plug is
 * finished, or (from_schedule = true) when the task is about to sleep, so
 * that deferred I/O never waits on the sleeper itself. */
#include <linux/blkdev.h>
#include <linux/sched.h>
#include <linux/slab.h>

void blk_start_plug(struct blk_plug *plug)
{
	struct task_struct *tsk = current;

	/* Nested plugs: the outermost one flushes. */
	if (tsk->plug)
		return;
	INIT_LIST_HEAD(&plug->cb_list);
	plug->multiple_queues = false;
	tsk->plug = plug;
}

static void flush_plug_callbacks(struct blk_plug *plug, bool from_schedule)
{
	LIST_HEAD(callbacks);

	/* Callbacks may plug more work: repeat until the list stays empty. */
	while (!list_empty(&plug->cb_list)) {
		list_splice_init(&plug->cb_list, &callbacks);
		while (!list_empty(&callbacks)) {
			struct blk_plug_cb *cb = list_first_entry(&callbacks, struct blk_plug_cb, list);

			list_del(&cb->list);
			cb->callback(cb, from_schedule);
		}
	}
}

void blk_finish_plug(struct blk_plug *plug)
{
	if (plug == current->plug) {
		flush_plug_callbacks(plug, false);
		current->plug = NULL;
	}
}

void __umc_flush_plug_on_schedule(struct task_struct *tsk)
{
	if (tsk->plug)
		flush_plug_callbacks(tsk->plug, true);
}

struct blk_plug_cb *blk_check_plugged(blk_plug_cb_fn unplug, void *data, int size)
{
	struct blk_plug *plug = current->plug;
	struct blk_plug_cb *cb;

	if (!plug)
		return NULL;
	list_for_each_entry(cb, &plug->cb_list, list) if (cb->callback == unplug && cb->data == data) return cb;
	/* Zeroed, @size bytes: the driver's struct embeds ours first. */
	BUG_ON(size < (int)sizeof(*cb));
	cb = kzalloc(size, GFP_ATOMIC);
	if (cb) {
		cb->data = data;
		cb->callback = unplug;
		list_add(&cb->list, &plug->cb_list);
	}
	return cb;
}

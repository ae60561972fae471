// SPDX-License-Identifier: GPL-2.0
/* See plug_driver.h. */
#include <linux/blkdev.h>
#include <linux/slab.h>
#include "plug_driver.h"

struct plug_probe {
	struct blk_plug_cb cb; /* first: blk_check_plugged allocates us */
	int runs;
	int from_schedule;
};
static struct plug_probe *last_probe;
static int probe_runs, probe_from_schedule;

static void probe_unplug(struct blk_plug_cb *cb, bool from_schedule)
{
	probe_runs++;
	probe_from_schedule = from_schedule;
	kfree(cb);
}

int ksd_plug_callbacks(void)
{
	struct blk_plug plug;
	struct blk_plug_cb *a, *b;
	int key;

	probe_runs = 0;
	if (blk_check_plugged(probe_unplug, &key, sizeof(struct plug_probe)) != NULL)
		return 1; /* not plugged */
	blk_start_plug(&plug);
	if (current->plug != &plug)
		return 2;
	a = blk_check_plugged(probe_unplug, &key, sizeof(struct plug_probe));
	b = blk_check_plugged(probe_unplug, &key, sizeof(struct plug_probe));
	if (!a || a != b || a->data != &key)
		return 3;
	blk_finish_plug(&plug);
	if (probe_runs != 1 || probe_from_schedule || current->plug)
		return 4;
	/* Sleeping with a plug runs its callbacks first. */
	blk_start_plug(&plug);
	blk_check_plugged(probe_unplug, &key, sizeof(struct plug_probe));
	schedule_timeout_uninterruptible(1);
	if (probe_runs != 2 || !probe_from_schedule)
		return 5;
	blk_finish_plug(&plug);
	if (probe_runs != 2)
		return 6;
	(void)last_probe;
	return 0;
}

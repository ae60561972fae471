// SPDX-License-Identifier: GPL-2.0
/* See queue_limits_driver.h. */
#include <linux/blkdev.h>
#include "queue_limits_driver.h"

static void to_queue_limits(const struct kd_limits *k, struct queue_limits *q)
{
	blk_set_default_limits(q);
#define SETF(f, from) \
	if (k->from)  \
	q->f = k->from
	SETF(logical_block_size, lbs);
	SETF(physical_block_size, pbs);
	SETF(io_min, io_min);
	SETF(io_opt, io_opt);
	SETF(alignment_offset, alignment_offset);
	SETF(max_hw_sectors, max_hw_sectors);
	SETF(max_sectors, max_sectors);
	SETF(max_segments, max_segments);
	SETF(max_discard_sectors, max_discard_sectors);
	SETF(discard_granularity, discard_granularity);
	SETF(max_write_zeroes_sectors, max_write_zeroes_sectors);
#undef SETF
}

int kd_stack_limits(const struct kd_limits *bottoms, int n, unsigned long long start, struct kd_limits *top)
{
	struct queue_limits t, b;
	int i, ret = 0;

	blk_set_stacking_limits(&t);
	for (i = 0; i < n; i++) {
		to_queue_limits(&bottoms[i], &b);
		ret |= blk_stack_limits(&t, &b, start);
	}
	top->lbs = t.logical_block_size;
	top->pbs = t.physical_block_size;
	top->io_min = t.io_min;
	top->io_opt = t.io_opt;
	top->alignment_offset = t.alignment_offset;
	top->max_hw_sectors = t.max_hw_sectors;
	top->max_sectors = t.max_sectors;
	top->max_segments = t.max_segments;
	top->max_discard_sectors = t.max_discard_sectors;
	top->discard_granularity = t.discard_granularity;
	top->max_write_zeroes_sectors = t.max_write_zeroes_sectors;
	top->misaligned = t.misaligned;
	return ret;
}

int kd_blk_status_to_errno(int status)
{
	return blk_status_to_errno((__force blk_status_t)status);
}
int kd_errno_to_blk_status(int err)
{
	return (__force int)errno_to_blk_status(err);
}

// SPDX-License-Identifier: GPL-2.0
/* Queue limits and how a stacking driver (DRBD) inherits them from the
 * devices below it.  Semantics follow Linux 6.1 block/blk-settings.c:
 * "stacking" limits start permissive (UINT_MAX/USHRT_MAX) and each bottom
 * device narrows them; sizes grow to the largest block size; alignments
 * combine by lcm; any incompatibility marks the result misaligned. */
#include <linux/blkdev.h>
#include <linux/gcd.h>
#include <linux/lcm.h>
#include <linux/limits.h>

unsigned long gcd(unsigned long a, unsigned long b)
{
	while (b) {
		unsigned long t = a % b;
		a = b;
		b = t;
	}
	return a;
}

unsigned long lcm(unsigned long a, unsigned long b)
{
	if (a && b)
		return (a / gcd(a, b)) * b;
	return 0;
}

unsigned long lcm_not_zero(unsigned long a, unsigned long b)
{
	unsigned long l = lcm(a, b);

	if (l)
		return l;
	return b ? b : a;
}

void blk_set_default_limits(struct queue_limits *lim)
{
	memset(lim, 0, sizeof(*lim));
	lim->max_segments = BLK_MAX_SEGMENTS;
	lim->max_discard_segments = 1;
	lim->seg_boundary_mask = BLK_SEG_BOUNDARY_MASK;
	lim->max_segment_size = BLK_MAX_SEGMENT_SIZE;
	lim->max_sectors = BLK_SAFE_MAX_SECTORS;
	lim->max_hw_sectors = BLK_SAFE_MAX_SECTORS;
	lim->logical_block_size = 512;
	lim->physical_block_size = 512;
	lim->io_min = 512;
	lim->dma_alignment = 511;
}

/* A stacking driver inherits everything from its component devices. */
void blk_set_stacking_limits(struct queue_limits *lim)
{
	blk_set_default_limits(lim);
	lim->max_segments = USHRT_MAX;
	lim->max_discard_segments = USHRT_MAX;
	lim->max_hw_sectors = UINT_MAX;
	lim->max_segment_size = UINT_MAX;
	lim->max_sectors = UINT_MAX;
	lim->max_dev_sectors = UINT_MAX;
	lim->max_write_zeroes_sectors = UINT_MAX;
	lim->max_zone_append_sectors = UINT_MAX;
}

/* Offset (bytes) of the device's natural alignment relative to @sector. */
static int alignment_offset_at(struct queue_limits *lim, sector_t sector)
{
	unsigned int granularity = max(lim->physical_block_size, lim->io_min);
	unsigned int misalign = sector_div(sector, granularity >> SECTOR_SHIFT) << SECTOR_SHIFT;

	return (granularity + lim->alignment_offset - misalign) % granularity;
}

static unsigned int discard_alignment_at(struct queue_limits *lim, sector_t sector)
{
	unsigned int alignment, granularity, offset;

	if (!lim->max_discard_sectors)
		return 0;
	alignment = lim->discard_alignment >> SECTOR_SHIFT;
	granularity = lim->discard_granularity >> SECTOR_SHIFT;
	if (!granularity)
		return 0;
	offset = sector_div(sector, granularity);
	offset = (granularity + alignment - offset) % granularity;
	return offset << SECTOR_SHIFT;
}

static unsigned int round_down_to_block(unsigned int sectors, unsigned int lbs)
{
	return round_down(sectors, lbs >> SECTOR_SHIFT);
}

/* Two alignment intervals are compatible when one divides the other. */
static bool intervals_line_up(unsigned int top, unsigned int bottom)
{
	return max(top, bottom) % min(top, bottom) == 0;
}

int blk_stack_limits(struct queue_limits *t, struct queue_limits *b, sector_t start)
{
	unsigned int alignment;
	int ret = 0;

	t->max_sectors = min_not_zero(t->max_sectors, b->max_sectors);
	t->max_hw_sectors = min_not_zero(t->max_hw_sectors, b->max_hw_sectors);
	t->max_dev_sectors = min_not_zero(t->max_dev_sectors, b->max_dev_sectors);
	t->max_write_zeroes_sectors = min(t->max_write_zeroes_sectors, b->max_write_zeroes_sectors);
	t->max_zone_append_sectors = min(t->max_zone_append_sectors, b->max_zone_append_sectors);
	t->bounce = max(t->bounce, b->bounce);
	t->seg_boundary_mask = min_not_zero(t->seg_boundary_mask, b->seg_boundary_mask);
	t->virt_boundary_mask = min_not_zero(t->virt_boundary_mask, b->virt_boundary_mask);
	t->max_segments = min_not_zero(t->max_segments, b->max_segments);
	t->max_discard_segments = min_not_zero(t->max_discard_segments, b->max_discard_segments);
	t->max_integrity_segments = min_not_zero(t->max_integrity_segments, b->max_integrity_segments);
	t->max_segment_size = min_not_zero(t->max_segment_size, b->max_segment_size);
	t->misaligned |= b->misaligned;

	alignment = alignment_offset_at(b, start);
	if (t->alignment_offset != alignment &&
	    !intervals_line_up(max(t->physical_block_size, t->io_min) + t->alignment_offset,
			       max(b->physical_block_size, b->io_min) + alignment)) {
		t->misaligned = 1;
		ret = -1;
	}

	t->logical_block_size = max(t->logical_block_size, b->logical_block_size);
	t->physical_block_size = max(t->physical_block_size, b->physical_block_size);
	t->io_min = max(t->io_min, b->io_min);
	t->io_opt = lcm_not_zero(t->io_opt, b->io_opt);
	t->dma_alignment = max(t->dma_alignment, b->dma_alignment);
	if (b->chunk_sectors)
		t->chunk_sectors = gcd(t->chunk_sectors, b->chunk_sectors);

	/* Each size must be a multiple of the one below it. */
	if (t->physical_block_size & (t->logical_block_size - 1)) {
		t->physical_block_size = t->logical_block_size;
		t->misaligned = 1;
		ret = -1;
	}
	if (t->io_min & (t->physical_block_size - 1)) {
		t->io_min = t->physical_block_size;
		t->misaligned = 1;
		ret = -1;
	}
	if (t->io_opt & (t->physical_block_size - 1)) {
		t->io_opt = 0;
		t->misaligned = 1;
		ret = -1;
	}
	if (t->chunk_sectors % (t->physical_block_size >> SECTOR_SHIFT)) {
		t->chunk_sectors = 0;
		t->misaligned = 1;
		ret = -1;
	}
	t->raid_partial_stripes_expensive = max(t->raid_partial_stripes_expensive, b->raid_partial_stripes_expensive);

	t->alignment_offset = lcm_not_zero(t->alignment_offset, alignment) % max(t->physical_block_size, t->io_min);
	if (t->alignment_offset & (t->logical_block_size - 1)) {
		t->misaligned = 1;
		ret = -1;
	}

	t->max_sectors = round_down_to_block(t->max_sectors, t->logical_block_size);
	t->max_hw_sectors = round_down_to_block(t->max_hw_sectors, t->logical_block_size);
	t->max_dev_sectors = round_down_to_block(t->max_dev_sectors, t->logical_block_size);

	if (b->discard_granularity) {
		alignment = discard_alignment_at(b, start);
		if (t->discard_granularity != 0 && t->discard_alignment != alignment &&
		    !intervals_line_up(t->discard_granularity + t->discard_alignment,
				       b->discard_granularity + alignment))
			t->discard_misaligned = 1;
		t->max_discard_sectors = min_not_zero(t->max_discard_sectors, b->max_discard_sectors);
		t->max_hw_discard_sectors = min_not_zero(t->max_hw_discard_sectors, b->max_hw_discard_sectors);
		t->discard_granularity = max(t->discard_granularity, b->discard_granularity);
		t->discard_alignment = lcm_not_zero(t->discard_alignment, alignment) % t->discard_granularity;
	}
	t->max_secure_erase_sectors = min_not_zero(t->max_secure_erase_sectors, b->max_secure_erase_sectors);
	return ret;
}

void blk_queue_max_hw_sectors(struct request_queue *q, unsigned int max_hw_sectors)
{
	struct queue_limits *limits = &q->limits;
	unsigned int max_sectors;

	if ((max_hw_sectors << 9) < PAGE_SIZE)
		max_hw_sectors = 1 << (PAGE_SHIFT - 9);
	max_hw_sectors = round_down(max_hw_sectors, limits->logical_block_size >> SECTOR_SHIFT);
	limits->max_hw_sectors = max_hw_sectors;
	max_sectors = min_not_zero(max_hw_sectors, limits->max_dev_sectors);
	max_sectors = min_t(unsigned int, max_sectors, BLK_DEF_MAX_SECTORS);
	max_sectors = round_down(max_sectors, limits->logical_block_size >> SECTOR_SHIFT);
	limits->max_sectors = max_sectors;
}

void blk_queue_max_segments(struct request_queue *q, unsigned short max_segments)
{
	q->limits.max_segments = max_segments ? max_segments : 1;
}

void blk_queue_max_discard_sectors(struct request_queue *q, unsigned int max_discard_sectors)
{
	q->limits.max_hw_discard_sectors = max_discard_sectors;
	q->limits.max_discard_sectors = max_discard_sectors;
}

void blk_queue_max_write_zeroes_sectors(struct request_queue *q, unsigned int max_write_zeroes_sectors)
{
	q->limits.max_write_zeroes_sectors = max_write_zeroes_sectors;
}

void blk_queue_segment_boundary(struct request_queue *q, unsigned long mask)
{
	if (mask < PAGE_SIZE - 1)
		mask = PAGE_SIZE - 1;
	q->limits.seg_boundary_mask = mask;
}

void blk_queue_logical_block_size(struct request_queue *q, unsigned int size)
{
	struct queue_limits *limits = &q->limits;

	limits->logical_block_size = size;
	if (limits->physical_block_size < size)
		limits->physical_block_size = size;
	if (limits->io_min < limits->physical_block_size)
		limits->io_min = limits->physical_block_size;
	limits->max_hw_sectors = round_down(limits->max_hw_sectors, size >> SECTOR_SHIFT);
	limits->max_sectors = round_down(limits->max_sectors, size >> SECTOR_SHIFT);
}

void blk_queue_physical_block_size(struct request_queue *q, unsigned int size)
{
	q->limits.physical_block_size = size;
	if (q->limits.physical_block_size < q->limits.logical_block_size)
		q->limits.physical_block_size = q->limits.logical_block_size;
	if (q->limits.io_min < q->limits.physical_block_size)
		q->limits.io_min = q->limits.physical_block_size;
}

/* A volatile write cache (flushes needed) and whether it honours FUA. */
void blk_queue_write_cache(struct request_queue *q, bool wc, bool fua)
{
	if (wc)
		set_bit(QUEUE_FLAG_WC, &q->queue_flags);
	else
		clear_bit(QUEUE_FLAG_WC, &q->queue_flags);
	if (fua)
		set_bit(QUEUE_FLAG_FUA, &q->queue_flags);
	else
		clear_bit(QUEUE_FLAG_FUA, &q->queue_flags);
}

void blk_queue_flag_set(unsigned int flag, struct request_queue *q)
{
	set_bit(flag, &q->queue_flags);
}
void blk_queue_flag_clear(unsigned int flag, struct request_queue *q)
{
	clear_bit(flag, &q->queue_flags);
}

int bdev_alignment_offset(struct block_device *bdev)
{
	struct request_queue *q = bdev_get_queue(bdev);

	if (q->limits.misaligned)
		return -1;
	if (bdev_is_partition(bdev))
		return alignment_offset_at(&q->limits, bdev->bd_start_sect);
	return q->limits.alignment_offset;
}

unsigned int bdev_discard_alignment(struct block_device *bdev)
{
	struct request_queue *q = bdev_get_queue(bdev);

	if (bdev_is_partition(bdev))
		return discard_alignment_at(&q->limits, bdev->bd_start_sect);
	return q->limits.discard_alignment;
}

static const struct {
	int errno;
	const char *name;
} blk_errors[] = {
	[BLK_STS_OK] = {0, ""},
	[BLK_STS_NOTSUPP] = {-EOPNOTSUPP, "operation not supported"},
	[BLK_STS_TIMEOUT] = {-ETIMEDOUT, "timeout"},
	[BLK_STS_NOSPC] = {-ENOSPC, "critical space allocation"},
	[BLK_STS_TRANSPORT] = {-ENOLINK, "recoverable transport"},
	[BLK_STS_TARGET] = {-EREMOTEIO, "critical target"},
	[BLK_STS_NEXUS] = {-EBADE, "critical nexus"},
	[BLK_STS_MEDIUM] = {-ENODATA, "critical medium"},
	[BLK_STS_PROTECTION] = {-EILSEQ, "protection"},
	[BLK_STS_RESOURCE] = {-ENOMEM, "kernel resource"},
	[BLK_STS_AGAIN] = {-EAGAIN, "nonblocking retry"},
	[BLK_STS_IOERR] = {-EIO, "I/O"},
};

blk_status_t errno_to_blk_status(int errno)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(blk_errors); i++)
		if (blk_errors[i].name && blk_errors[i].errno == errno)
			return (__force blk_status_t)i;
	return BLK_STS_IOERR;
}

int blk_status_to_errno(blk_status_t status)
{
	unsigned int idx = (__force unsigned int)status;

	if (WARN_ON_ONCE(idx >= ARRAY_SIZE(blk_errors) || !blk_errors[idx].name))
		return -EIO;
	return blk_errors[idx].errno;
}

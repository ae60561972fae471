// SPDX-License-Identifier: GPL-2.0
/* See host_disk_driver.h. */
#include <linux/kthread.h>
#include <linux/bio.h>
#include <linux/blkdev.h>
#include "host_disk_driver.h"
#include "kthread_driver.h"

struct fake_disk {
	struct gendisk *disk;
	/* what the fake driver saw */
	int opens, releases;
	unsigned int last_open_mode, last_release_mode;
	int open_error;
	int submits, segments, bad_segments;
	blk_opf_t last_opf;
	sector_t first_sector;
	unsigned int total_bytes;
	unsigned int zero_bytes;    /* written bytes that were all zeroes */
	const char *expect_addr[8]; /* the host bytes each segment must map */
	unsigned int expect_len[8];
	int nexpect;
	blk_status_t fail_with;
	/* blocking open */
	bool block_open;
	struct completion open_entered, open_go;
};
static struct fake_disk fake;
#define bio_op_of(opf) ((opf)&REQ_OP_MASK)

static int fake_open(struct block_device *bdev, fmode_t mode)
{
	struct fake_disk *f = bdev->bd_disk->private_data;

	if (f->block_open) {
		complete(&f->open_entered);
		wait_for_completion(&f->open_go);
	}
	if (f->open_error)
		return f->open_error;
	f->opens++;
	f->last_open_mode = mode;
	return 0;
}

static void fake_release(struct gendisk *disk, fmode_t mode)
{
	struct fake_disk *f = disk->private_data;

	f->releases++;
	f->last_release_mode = mode;
}

/* Splits to the queue's limits as DRBD does, then walks the segments and
 * checks that each maps the next bytes of the host's iovecs, within one
 * page. */
static void fake_submit_bio(struct bio *bio)
{
	struct fake_disk *f = bio->bi_bdev->bd_disk->private_data;
	struct bvec_iter iter;
	struct bio_vec bv;

	bio = bio_split_to_limits(bio);
	if (!bio)
		return;
	if (!f->submits++) {
		f->first_sector = bio->bi_iter.bi_sector;
		f->last_opf = bio->bi_opf;
	}
	if (bio_has_data(bio))
		bio_for_each_segment(bv, bio, iter)
		{
			const char *p = (const char *)page_address(bv.bv_page) + bv.bv_offset;
			unsigned int done = f->total_bytes, i = 0, at = 0;

			/* which iovec byte `done` is */
			while (i < f->nexpect && done >= at + f->expect_len[i])
				at += f->expect_len[i++];
			if (i == f->nexpect || p != f->expect_addr[i] + (done - at) ||
			    bv.bv_offset + bv.bv_len > PAGE_SIZE || done - at + bv.bv_len > f->expect_len[i] ||
			    page_count(bv.bv_page) != 1 || bv.bv_len % SECTOR_SIZE)
				f->bad_segments++;
			/* a read fills, a write is checked */
			if (bio_op(bio) == REQ_OP_READ)
				memset((char *)p, 0x11, bv.bv_len);
			else if (p[0] != (char)0xab)
				f->bad_segments++;
			if (bio_op(bio) == REQ_OP_WRITE) {
				unsigned int z = 0;
				while (z < bv.bv_len && !p[z])
					z++;
				if (z == bv.bv_len)
					f->zero_bytes += bv.bv_len;
			}
			f->segments++;
			f->total_bytes += bv.bv_len;
		}
	else
		f->total_bytes += bio->bi_iter.bi_size;
	bio->bi_status = f->fail_with;
	bio_endio(bio);
}

static const struct block_device_operations fake_fops = {
	.submit_bio = fake_submit_bio,
	.open = fake_open,
	.release = fake_release,
};

/* What the listener heard. */
static char heard_added[32], heard_removed[32];
static unsigned int heard_major, heard_minor;
static int adds, removes;

static void on_added(void *ctx, const char *name, unsigned int major, unsigned int minor)
{
	strscpy(heard_added, name, sizeof(heard_added));
	heard_major = major;
	heard_minor = minor;
	adds++;
}

static void on_removed(void *ctx, const char *name)
{
	strscpy(heard_removed, name, sizeof(heard_removed));
	removes++;
}

static const struct umc_disk_listener listener = {.added = on_added, .removed = on_removed};

struct done_rec {
	struct umc_bdev_io io;
	int calls, status;
};

static void io_done_rec(struct umc_bdev_io *io, int status)
{
	struct done_rec *d = container_of(io, struct done_rec, io);

	d->calls++;
	d->status = status;
}

static void reset_fake_io(void)
{
	fake.submits = fake.segments = fake.bad_segments = 0;
	fake.total_bytes = 0;
	fake.zero_bytes = 0;
	fake.last_opf = 0;
	fake.first_sector = 0;
}

/* Runs one request; returns io->done's status, or -1000 - calls when done
 * did not run exactly once. */
static int run_io(struct umc_disk *h, unsigned int op, unsigned int flags, unsigned long long off,
		  unsigned long long len, const struct umc_iov *iov, int iovcnt)
{
	struct done_rec d = {.io = {.op = op,
				    .flags = flags,
				    .offset = off,
				    .length = len,
				    .iov = iov,
				    .iovcnt = iovcnt,
				    .done = io_done_rec}};

	reset_fake_io();
	umc_disk_submit(h, &d.io);
	return d.calls == 1 ? d.status : -1000 - d.calls;
}

static struct gendisk *make_fake_disk(const char *name, int minor)
{
	struct gendisk *disk = blk_alloc_disk(NUMA_NO_NODE);

	if (!disk)
		return NULL;
	disk->major = 250;
	disk->first_minor = minor;
	disk->fops = &fake_fops;
	disk->private_data = &fake;
	strscpy(disk->disk_name, name, sizeof(disk->disk_name));
	blk_queue_logical_block_size(disk->queue, 512);
	blk_queue_max_hw_sectors(disk->queue, 8); /* 4 KiB: bigger requests are split */
	disk->queue->limits.max_sectors = 8;
	blk_queue_max_discard_sectors(disk->queue, 1024);
	blk_queue_write_cache(disk->queue, true, true);
	set_capacity(disk, 2048); /* 1 MiB */
	return disk;
}

int ksd_host_disk_io(void)
{
	struct umc_disk_info info;
	struct umc_disk *h;
	struct umc_iov iov[3];
	char *buf = kmalloc(4 * PAGE_SIZE, GFP_KERNEL), *rbuf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	int step = 0;

	memset(&fake, 0, sizeof(fake));
	adds = removes = 0;
	umc_disk_set_listener(&listener);
	fake.disk = make_fake_disk("fake7", 7);
	step++;
	if (!fake.disk || !buf || !rbuf)
		return step;
	step++;
	if (umc_disk_lookup("fake7"))
		return step; /* not added yet */
	step++;
	if (add_disk(fake.disk) || adds != 1 || strcmp(heard_added, "fake7") || heard_major != 250 || heard_minor != 7)
		return step;
	h = umc_disk_lookup("fake7");
	step++;
	if (!h || umc_disk_lookup("fake8"))
		return step;

	umc_disk_get_info(h, &info);
	step++;
	if (!info.live || info.capacity_bytes != 1 << 20 || info.logical_block_size != 512 ||
	    info.max_io_bytes != 4096 || info.max_discard_bytes != 1024 * 512 || info.read_only)
		return step;
	set_disk_ro(fake.disk, true);
	umc_disk_get_info(h, &info);
	step++;
	if (!info.read_only)
		return step;
	set_disk_ro(fake.disk, false);

	/* open/release reach the driver with the mode; its errno comes back */
	step++;
	if (umc_disk_open(h, UMC_FMODE_READ | UMC_FMODE_WRITE) || fake.opens != 1 ||
	    fake.last_open_mode != (FMODE_READ | FMODE_WRITE))
		return step;
	umc_disk_release(h, UMC_FMODE_READ | UMC_FMODE_WRITE);
	step++;
	if (fake.releases != 1 || fake.last_release_mode != (FMODE_READ | FMODE_WRITE))
		return step;
	fake.open_error = -EROFS;
	step++;
	if (umc_disk_open(h, UMC_FMODE_WRITE) != -EROFS)
		return step;
	fake.open_error = 0;

	/* memory O_DIRECT would refuse (not sector aligned) is refused */
	memset(buf, 0xab, 4 * PAGE_SIZE);
	iov[0].base = buf + 100;
	iov[0].len = 4096;
	step++;
	if (run_io(h, 1, 0, 4096, 4096, iov, 1) != -EINVAL || fake.submits)
		return step;

	/* a write of 8 KiB from three iovecs (one empty) at sector- but not
	 * page-aligned host addresses: split at 4 KiB, each segment within a
	 * page, a whole number of sectors, mapping the right bytes; one
	 * completion */
	iov[0].base = buf + 512;
	iov[0].len = 5120;
	iov[1].base = buf;
	iov[1].len = 0;
	iov[2].base = buf + 2 * PAGE_SIZE + 1024;
	iov[2].len = 8192 - 5120;
	fake.nexpect = 2;
	fake.expect_addr[0] = buf + 512;
	fake.expect_len[0] = 5120;
	fake.expect_addr[1] = buf + 2 * PAGE_SIZE + 1024;
	fake.expect_len[1] = 8192 - 5120;
	step++;
	if (run_io(h, 1, 2, 4096, 8192, iov, 3) != 0)
		return step;
	step++;
	if (fake.submits != 2 || fake.bad_segments || fake.total_bytes != 8192 || fake.first_sector != 8 ||
	    bio_op_of(fake.last_opf) != REQ_OP_WRITE || !(fake.last_opf & REQ_FUA) || (fake.last_opf & REQ_PREFLUSH))
		return step;
	/* fewer segments than pages touched would mean a segment crossed a page */
	step++;
	if (fake.segments < 4)
		return step;

	/* a read fills the host buffer */
	memset(rbuf, 0, PAGE_SIZE);
	iov[0].base = rbuf;
	iov[0].len = 1024;
	fake.nexpect = 1;
	fake.expect_addr[0] = rbuf;
	fake.expect_len[0] = 1024;
	step++;
	if (run_io(h, 0, 0, 0, 1024, iov, 1) || fake.bad_segments || rbuf[0] != 0x11 || rbuf[1023] != 0x11 ||
	    rbuf[1024])
		return step;
	/* the driver's error reaches the host */
	fake.fail_with = BLK_STS_IOERR;
	step++;
	if (run_io(h, 0, 0, 0, 1024, iov, 1) != -EIO)
		return step;
	fake.fail_with = BLK_STS_OK;
	/* flush: an empty PREFLUSH write */
	step++;
	if (run_io(h, 2, 0, 0, 0, NULL, 0) || fake.submits != 1 || bio_op_of(fake.last_opf) != REQ_OP_WRITE ||
	    !(fake.last_opf & REQ_PREFLUSH) || fake.total_bytes)
		return step;
	/* write with preflush */
	iov[0].base = buf;
	iov[0].len = 512;
	fake.nexpect = 1;
	fake.expect_addr[0] = buf;
	fake.expect_len[0] = 512;
	step++;
	if (run_io(h, 1, 1, 512, 512, iov, 1) || !(fake.last_opf & REQ_PREFLUSH) || (fake.last_opf & REQ_FUA))
		return step;
	/* discard: no data */
	step++;
	if (run_io(h, 3, 0, 8192, 65536, NULL, 0) || bio_op_of(fake.last_opf) != REQ_OP_DISCARD ||
	    fake.total_bytes != 65536 || fake.first_sector != 16)
		return step;
	/* write-zeroes where the driver has none: written as pages of zeroes,
	 * as blkdev_issue_zeroout without BLKDEV_ZERO_NOFALLBACK does (what a
	 * kernel's fallocate(FALLOC_FL_ZERO_RANGE) of a block device runs);
	 * split at the queue's max_sectors (4 KiB here) */
	step++;
	if (run_io(h, 4, 0, 0, 4096, NULL, 0) || fake.submits != 1 || bio_op_of(fake.last_opf) != REQ_OP_WRITE ||
	    fake.total_bytes != 4096 || fake.zero_bytes != 4096)
		return step;
	step++;
	if (run_io(h, 4, 0, 8192, 16384, NULL, 0) || fake.submits != 4 || fake.first_sector != 16 ||
	    fake.total_bytes != 16384 || fake.zero_bytes != 16384)
		return step;
	fake.fail_with = BLK_STS_IOERR;
	step++;
	if (run_io(h, 4, 0, 0, 8192, NULL, 0) != -EIO)
		return step;
	fake.fail_with = BLK_STS_OK;
	/* refused before the driver: beyond the end, misaligned, lengths
	 * that do not add up, flags on a read, unknown op */
	iov[0].len = 1024;
	step++;
	if (run_io(h, 0, 0, (1 << 20) - 512, 1024, iov, 1) != -EIO || fake.submits)
		return step;
	iov[0].len = 512;
	step++;
	if (run_io(h, 1, 0, 100, 512, iov, 1) != -EINVAL || run_io(h, 1, 0, 0, 1024, iov, 1) != -EINVAL)
		return step;
	step++;
	if (run_io(h, 0, 2, 0, 512, iov, 1) != -EINVAL || run_io(h, 9, 0, 0, 512, iov, 1) != -EINVAL || fake.submits)
		return step;

	umc_disk_put(h);
	del_gendisk(fake.disk);
	put_disk(fake.disk);
	umc_disk_set_listener(NULL);
	kfree(buf);
	kfree(rbuf);
	umc_kernel_shutdown();
	return 0;
}

/* ---- deletion while the host holds a handle and is inside an open ---- */

struct opener {
	struct umc_disk *h;
	int ret;
	struct completion done;
};

static int opener_fn(void *data)
{
	struct opener *o = data;

	o->ret = umc_disk_open(o->h, UMC_FMODE_READ);
	complete(&o->done);
	park_until_stopped();
	return 0;
}

struct deleter {
	struct gendisk *disk;
	struct completion done;
};

static int deleter_fn(void *data)
{
	struct deleter *d = data;

	del_gendisk(d->disk);
	complete(&d->done);
	park_until_stopped();
	return 0;
}

int ksd_host_disk_delete(void)
{
	struct umc_disk_info info;
	struct umc_disk *h;
	struct opener o;
	struct deleter del;
	struct task_struct *to, *td;
	struct umc_iov iov = {.base = NULL, .len = 512};
	char *buf = kmalloc(512, GFP_KERNEL);
	int step = 0;

	memset(&fake, 0, sizeof(fake));
	adds = removes = 0;
	init_completion(&fake.open_entered);
	init_completion(&fake.open_go);
	umc_disk_set_listener(&listener);
	fake.disk = make_fake_disk("fake9", 9);
	step++;
	if (!fake.disk || !buf || add_disk(fake.disk))
		return step;
	h = umc_disk_lookup("fake9");
	step++;
	if (!h)
		return step;

	/* a host call is inside ->open when the module deletes the disk */
	fake.block_open = true;
	o.h = h;
	init_completion(&o.done);
	to = kthread_run(opener_fn, &o, "ksd_opener");
	step++;
	if (IS_ERR(to))
		return step;
	wait_for_completion(&fake.open_entered);
	del.disk = fake.disk;
	init_completion(&del.done);
	td = kthread_run(deleter_fn, &del, "ksd_deleter");
	step++;
	if (IS_ERR(td))
		return step;
	/* del_gendisk has marked the disk dead ... */
	while (disk_live(fake.disk))
		cpu_relax();
	/* ... and new calls fail, but it waits for the open inside */
	step++;
	if (umc_disk_open(h, UMC_FMODE_READ) != -ENXIO)
		return step;
	step++;
	if (completion_done(&del.done) || removes)
		return step;
	complete(&fake.open_go);
	wait_for_completion(&o.done);
	wait_for_completion(&del.done);
	step++;
	if (o.ret || fake.opens != 1 || removes != 1 || strcmp(heard_removed, "fake9"))
		return step;
	kthread_stop(to);
	kthread_stop(td);
	step++;
	if (umc_disk_lookup("fake9"))
		return step;

	/* the handle outlives the module's put_disk */
	put_disk(fake.disk);
	fake.disk = NULL;
	umc_disk_get_info(h, &info);
	step++;
	if (info.live || info.capacity_bytes || info.logical_block_size || info.max_io_bytes)
		return step;
	step++;
	if (umc_disk_open(h, UMC_FMODE_READ) != -ENXIO)
		return step;
	/* the open that succeeded is released without reaching the driver */
	umc_disk_release(h, UMC_FMODE_READ);
	step++;
	if (fake.releases)
		return step;
	iov.base = buf;
	step++;
	if (run_io(h, 0, 0, 0, 512, &iov, 1) != -ENXIO || fake.submits)
		return step;
	umc_disk_put(h); /* frees the disk (a leak or a use after free shows under ASan) */
	umc_disk_set_listener(NULL);
	kfree(buf);
	return 0;
}

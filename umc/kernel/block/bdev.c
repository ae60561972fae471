// SPDX-License-Identifier: GPL-2.0
/* Backing block devices served by the host program (see umc/kernel_host.h):
 * a registry by path, exclusive opens (FMODE_EXCL with a holder, as the
 * kernel: a second exclusive opener with another holder gets -EBUSY, the
 * same holder may claim again -- DRBD does, for internal meta data -- and
 * the claim goes with the last exclusive put), and bio -> umc_bdev_io
 * translation with completion back into bio_endio. */
#include <linux/blkdev.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <umc/kernel_private.h>
#include <umc/socket.h> /* struct umc_iov */

struct host_bdev {
	struct list_head list;
	char path[256];
	void *host;
	const struct umc_bdev_host_ops *ops;
	struct gendisk *disk; /* gives the bdev its queue and limits */
	int openers;
	int holders;  /* exclusive opens (the kernel's bd_holders) */
	void *holder; /* exclusive holder, if any */
};

static LIST_HEAD(host_bdevs);
static DEFINE_MUTEX(host_bdevs_lock);

static struct host_bdev *find_locked(const char *path)
{
	struct host_bdev *h;

	list_for_each_entry(h, &host_bdevs, list) if (!strcmp(h->path, path)) return h;
	return NULL;
}

struct bdev_io {
	struct umc_bdev_io io;
	struct bio *bio;
	struct list_head held; /* on a host_plug, or a merged_io's members */
	int iovcnt;
	struct umc_iov iov[];
};

/* Plugged submission.  While the submitting task holds a plug, requests to
 * a host disk are held (one host_plug per task and disk, a blk_check_plugged
 * callback); when the plug is finished, or the task is about to sleep, runs
 * of adjacent plain reads or writes go to the host as one request, as the
 * kernel's plug merges bios into requests before a driver sees them.  DRBD
 * splits I/O into bios no larger than its peer's limit (4 KiB before a peer
 * was ever seen); merged, its clones reach the backend at the size the
 * application wrote. */
struct host_plug {
	struct blk_plug_cb cb; /* first: blk_check_plugged allocates us */
	struct list_head held;
	int requests;                 /* runs held: what the kernel counts as requests */
	unsigned long long run_bytes; /* of the last run */
	int run_iovcnt;
};

/* blk_add_rq_to_plug: a plug holds at most this many requests, and none
 * behind one of BLK_PLUG_FLUSH_SIZE or more; then it is flushed and goes
 * on.  (DRBD's receiver keeps its plug while data keeps arriving.) */
#define PLUG_MAX_REQUESTS 32
#define PLUG_FLUSH_SIZE   (128 * 1024)

struct merged_io {
	struct umc_bdev_io io;
	struct list_head members;
	struct umc_iov iov[];
};

/* Bounds of one merged request: the disk's max_hw_sectors and this many
 * iovecs (bio_backends takes up to 1024 per request). */
#define MERGE_MAX_IOVCNT 256

static void io_done(struct umc_bdev_io *io, int status)
{
	struct bdev_io *b = container_of(io, struct bdev_io, io);
	struct bio *bio = b->bio;

	bio->bi_status = status ? errno_to_blk_status(status) : BLK_STS_OK;
	kfree(b);
	bio_endio(bio);
}

static void merged_done(struct umc_bdev_io *io, int status)
{
	struct merged_io *m = container_of(io, struct merged_io, io);
	struct bdev_io *b, *tmp;

	list_for_each_entry_safe(b, tmp, &m->members, held)
	{
		list_del(&b->held);
		io_done(&b->io, status);
	}
	kfree(m);
}

static bool can_follow(const struct bdev_io *prev, const struct bdev_io *next, unsigned long long len, int iovcnt,
		       unsigned long long max_bytes)
{
	return next->io.op == prev->io.op && next->io.flags == prev->io.flags &&
	       next->io.offset == prev->io.offset + prev->io.length && len + next->io.length <= max_bytes &&
	       iovcnt + next->iovcnt <= MERGE_MAX_IOVCNT;
}

/* Submit the run from the head of @held up to @last as one request. */
static void submit_run(struct host_bdev *h, struct list_head *held, struct bdev_io *last, int iovcnt)
{
	struct bdev_io *first = list_first_entry(held, struct bdev_io, held), *b;
	struct merged_io *m = first == last ? NULL : kmalloc(struct_size(m, iov, iovcnt), GFP_NOIO);
	bool end = false;
	int n = 0;

	if (!m) { /* a run of one, or no memory to merge: each on its own */
		while (!end) {
			b = list_first_entry(held, struct bdev_io, held);
			end = b == last;
			list_del(&b->held);
			h->ops->submit(h->host, &b->io);
		}
		return;
	}
	m->io = first->io;
	m->io.length = 0;
	INIT_LIST_HEAD(&m->members);
	while (!end) {
		b = list_first_entry(held, struct bdev_io, held);
		end = b == last;
		memcpy(&m->iov[n], b->iov, b->iovcnt * sizeof(b->iov[0]));
		n += b->iovcnt;
		m->io.length += b->io.length;
		list_move_tail(&b->held, &m->members);
	}
	m->io.iov = m->iov;
	m->io.iovcnt = n;
	m->io.done = merged_done;
	m->io.kernel_private = m;
	h->ops->submit(h->host, &m->io);
}

/* The most bytes one merged request may carry: the disk's max_hw_sectors. */
static unsigned long long merge_max_bytes(const struct host_bdev *h)
{
	return (unsigned long long)queue_max_hw_sectors(h->disk->queue) << SECTOR_SHIFT;
}

/* Submit everything @p holds, adjacent runs merged. */
static void submit_held(struct host_bdev *h, struct host_plug *p)
{
	unsigned long long max_bytes = merge_max_bytes(h);

	while (!list_empty(&p->held)) {
		struct bdev_io *first = list_first_entry(&p->held, struct bdev_io, held), *last = first, *next;
		unsigned long long len = first->io.length;
		int iovcnt = first->iovcnt;

		while (!list_is_last(&last->held, &p->held)) {
			next = list_next_entry(last, held);
			if (!can_follow(last, next, len, iovcnt, max_bytes))
				break;
			len += next->io.length;
			iovcnt += next->iovcnt;
			last = next;
		}
		submit_run(h, &p->held, last, iovcnt);
	}
	p->requests = 0;
}

static void host_unplug(struct blk_plug_cb *cb, bool from_schedule)
{
	struct host_plug *p = container_of(cb, struct host_plug, cb);

	submit_held(cb->data, p);
	kfree(p);
}

/* Hold @b on current's plug if it may merge; false: submit it now. */
static bool hold_on_plug(struct host_bdev *h, struct bdev_io *b)
{
	struct blk_plug_cb *cb;
	struct host_plug *p;

	if (!current->plug || (b->io.op != UMC_BDEV_OP_READ && b->io.op != UMC_BDEV_OP_WRITE) || b->io.flags ||
	    !b->iovcnt)
		return false;
	cb = blk_check_plugged(host_unplug, h, sizeof(*p));
	if (!cb)
		return false;
	p = container_of(cb, struct host_plug, cb);
	if (!p->held.next) /* new: blk_check_plugged zeroes it */
		INIT_LIST_HEAD(&p->held);
	if (!list_empty(&p->held)) {
		struct bdev_io *last = list_last_entry(&p->held, struct bdev_io, held);

		if (can_follow(last, b, p->run_bytes, p->run_iovcnt, merge_max_bytes(h))) {
			list_add_tail(&b->held, &p->held);
			p->run_bytes += b->io.length;
			p->run_iovcnt += b->iovcnt;
			return true;
		}
		if (p->requests >= PLUG_MAX_REQUESTS || p->run_bytes >= PLUG_FLUSH_SIZE)
			submit_held(h, p);
	}
	list_add_tail(&b->held, &p->held);
	p->requests++;
	p->run_bytes = b->io.length;
	p->run_iovcnt = b->iovcnt;
	return true;
}

static void host_submit(struct bio *bio)
{
	struct host_bdev *h = bio->bi_bdev->bd_umc;
	struct bvec_iter iter;
	struct bio_vec bv;
	struct bdev_io *b;
	int n = 0;

	if (bio_has_data(bio))
		bio_for_each_segment(bv, bio, iter) n++;
	b = kmalloc(struct_size(b, iov, n), GFP_NOIO);
	if (!b) {
		bio->bi_status = BLK_STS_RESOURCE;
		bio_endio(bio);
		return;
	}
	b->bio = bio;
	b->iovcnt = 0;
	if (n)
		bio_for_each_segment(bv, bio, iter)
		{
			b->iov[b->iovcnt].base = (char *)page_address(bv.bv_page) + bv.bv_offset;
			b->iov[b->iovcnt].len = bv.bv_len;
			b->iovcnt++;
		}
	switch (bio_op(bio)) {
	case REQ_OP_READ:
		b->io.op = UMC_BDEV_OP_READ;
		break;
	case REQ_OP_WRITE:
		b->io.op = UMC_BDEV_OP_WRITE;
		break;
	case REQ_OP_FLUSH:
		b->io.op = UMC_BDEV_OP_FLUSH;
		break;
	case REQ_OP_DISCARD:
		b->io.op = UMC_BDEV_OP_DISCARD;
		break;
	case REQ_OP_WRITE_ZEROES:
		b->io.op = UMC_BDEV_OP_WRITE_ZEROES;
		break;
	default:
		kfree(b);
		bio->bi_status = BLK_STS_NOTSUPP;
		bio_endio(bio);
		return;
	}
	b->io.flags = ((bio->bi_opf & REQ_PREFLUSH) ? UMC_BDEV_F_PREFLUSH : 0u) |
		      ((bio->bi_opf & REQ_FUA) ? UMC_BDEV_F_FUA : 0u);
	/* A data-less write with PREFLUSH is a pure flush. */
	if (b->io.op == UMC_BDEV_OP_WRITE && !bio->bi_iter.bi_size && (bio->bi_opf & REQ_PREFLUSH)) {
		b->io.op = UMC_BDEV_OP_FLUSH;
		b->io.flags &= ~UMC_BDEV_F_PREFLUSH;
	}
	b->io.offset = b->io.op == UMC_BDEV_OP_FLUSH ? 0 : (unsigned long long)bio->bi_iter.bi_sector << SECTOR_SHIFT;
	b->io.length = b->io.op == UMC_BDEV_OP_FLUSH ? 0 : bio->bi_iter.bi_size;
	b->io.iov = b->iovcnt ? b->iov : NULL;
	b->io.iovcnt = b->iovcnt;
	b->io.done = io_done;
	b->io.kernel_private = b;
	if (hold_on_plug(h, b))
		return;
	h->ops->submit(h->host, &b->io);
}

int umc_bdev_register(const char *path, void *host, const struct umc_bdev_host_ops *ops,
		      const struct umc_bdev_geometry *geo)
{
	struct host_bdev *h = kzalloc(sizeof(*h), GFP_KERNEL);
	struct queue_limits *lim;
	struct block_device *bdev;

	if (!h)
		return -ENOMEM;
	h->disk = blk_alloc_disk(NUMA_NO_NODE);
	if (!h->disk) {
		kfree(h);
		return -ENOMEM;
	}
	strscpy(h->path, path, sizeof(h->path));
	strscpy(h->disk->disk_name, kbasename_umc(path), sizeof(h->disk->disk_name));
	h->host = host;
	h->ops = ops;
	bdev = h->disk->part0;
	bdev->bd_submit = host_submit;
	bdev->bd_umc = h;
	set_capacity(h->disk, geo->size_bytes >> SECTOR_SHIFT);
	lim = &h->disk->queue->limits;
	blk_set_default_limits(lim);
	blk_queue_logical_block_size(h->disk->queue, geo->logical_block_size ? geo->logical_block_size : 512);
	blk_queue_physical_block_size(h->disk->queue, geo->physical_block_size);
	lim->io_opt = geo->optimal_io_size;
	lim->max_hw_sectors = lim->max_sectors = geo->max_io_bytes ? geo->max_io_bytes >> SECTOR_SHIFT : UINT_MAX;
	lim->max_segments = USHRT_MAX;
	lim->max_segment_size = UINT_MAX;
	lim->max_discard_sectors = lim->max_hw_discard_sectors = geo->max_discard_bytes >> SECTOR_SHIFT;
	lim->discard_granularity = geo->max_discard_bytes ? lim->logical_block_size : 0;
	lim->max_write_zeroes_sectors = geo->write_zeroes ? lim->max_hw_sectors : 0;
	blk_queue_write_cache(h->disk->queue, geo->volatile_cache, geo->fua);

	mutex_lock(&host_bdevs_lock);
	if (find_locked(path)) {
		mutex_unlock(&host_bdevs_lock);
		put_disk(h->disk);
		kfree(h);
		return -EEXIST;
	}
	list_add_tail(&h->list, &host_bdevs);
	mutex_unlock(&host_bdevs_lock);
	return 0;
}

int umc_bdev_unregister(const char *path)
{
	struct host_bdev *h;

	mutex_lock(&host_bdevs_lock);
	h = find_locked(path);
	if (!h || h->openers) {
		mutex_unlock(&host_bdevs_lock);
		return h ? -EBUSY : -ENOENT;
	}
	list_del(&h->list);
	mutex_unlock(&host_bdevs_lock);
	put_disk(h->disk);
	kfree(h);
	return 0;
}

int umc_bdev_claimed(const char *path)
{
	struct host_bdev *h;
	int ret;

	mutex_lock(&host_bdevs_lock);
	h = find_locked(path);
	ret = h ? h->holders > 0 : -ENOENT;
	mutex_unlock(&host_bdevs_lock);
	return ret;
}

/* What a rescan does in the kernel: the whole-device size changes under an
 * opener, who sees it in bdev_nr_sectors() (DRBD's drbd_get_capacity). */
int umc_bdev_set_size(const char *path, unsigned long long size_bytes)
{
	struct host_bdev *h;

	mutex_lock(&host_bdevs_lock);
	h = find_locked(path);
	if (h)
		set_capacity(h->disk, size_bytes >> SECTOR_SHIFT);
	mutex_unlock(&host_bdevs_lock);
	return h ? 0 : -ENOENT;
}

struct block_device *blkdev_get_by_path(const char *path, fmode_t mode, void *holder)
{
	struct host_bdev *h;
	struct block_device *bdev;

	mutex_lock(&host_bdevs_lock);
	h = find_locked(path);
	if (!h) {
		mutex_unlock(&host_bdevs_lock);
		return ERR_PTR(-ENOENT);
	}
	if (mode & FMODE_EXCL) {
		if (WARN_ON(!holder) || (h->holder && h->holder != holder)) {
			mutex_unlock(&host_bdevs_lock);
			return ERR_PTR(-EBUSY);
		}
		h->holder = holder;
		h->holders++;
	}
	h->openers++;
	bdev = h->disk->part0;
	bdev->bd_holder = h->holder;
	mutex_unlock(&host_bdevs_lock);
	return bdev;
}

void blkdev_put(struct block_device *bdev, fmode_t mode)
{
	struct host_bdev *h = bdev->bd_umc;

	mutex_lock(&host_bdevs_lock);
	if ((mode & FMODE_EXCL) && !WARN_ON(h->holders <= 0) && !--h->holders)
		h->holder = NULL;
	bdev->bd_holder = h->holder;
	h->openers--;
	mutex_unlock(&host_bdevs_lock);
}

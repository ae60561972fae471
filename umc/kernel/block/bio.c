// SPDX-License-Identifier: GPL-2.0
/* bios: allocation from bio_sets (mempool-backed, so allocations that may
 * sleep never fail), reference counting, cloning, page adding, chaining,
 * completion and splitting to the queue's limits. */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/slab.h>
#include <linux/mempool.h>

struct bio_set fs_bio_set;
static struct bio_set split_bio_set;
static bool default_sets_ready;
static DEFINE_SPINLOCK(default_sets_lock);

/* The two global sets are made on first use (there is no boot order). */
static void init_default_sets(void)
{
	if (READ_ONCE(default_sets_ready))
		return;
	spin_lock(&default_sets_lock);
	if (!default_sets_ready) {
		BUG_ON(bioset_init(&fs_bio_set, BIO_POOL_SIZE, 0, BIOSET_NEED_BVECS));
		BUG_ON(bioset_init(&split_bio_set, BIO_POOL_SIZE, 0, 0));
		smp_store_release(&default_sets_ready, true);
	}
	spin_unlock(&default_sets_lock);
}

void __umc_bio_shutdown(void)
{
	spin_lock(&default_sets_lock);
	if (default_sets_ready) {
		bioset_exit(&fs_bio_set);
		bioset_exit(&split_bio_set);
		default_sets_ready = false;
	}
	spin_unlock(&default_sets_lock);
}

int bioset_init(struct bio_set *bs, unsigned int pool_size, unsigned int front_pad, int flags)
{
	int err;

	bs->front_pad = front_pad;
	bs->flags = flags;
	bs->bio_slab = kmem_cache_create("bio", front_pad + sizeof(struct bio), __alignof__(struct bio), 0, NULL);
	if (!bs->bio_slab)
		return -ENOMEM;
	err = mempool_init_slab_pool(&bs->bio_pool, pool_size, bs->bio_slab);
	if (!err)
		/* Vectors come from a pool of full-size tables (BIO_MAX_VECS). */
		err = mempool_init_kmalloc_pool(&bs->bvec_pool, (flags & BIOSET_NEED_BVECS) ? pool_size : 0,
						BIO_MAX_VECS * sizeof(struct bio_vec));
	if (err) {
		bioset_exit(bs);
		return -ENOMEM;
	}
	return 0;
}

void bioset_exit(struct bio_set *bs)
{
	mempool_exit(&bs->bio_pool);
	mempool_exit(&bs->bvec_pool);
	kmem_cache_destroy(bs->bio_slab);
	bs->bio_slab = NULL;
}

void bio_init(struct bio *bio, struct block_device *bdev, struct bio_vec *table, unsigned short max_vecs, blk_opf_t opf)
{
	memset(bio, 0, sizeof(*bio));
	bio->bi_bdev = bdev;
	bio->bi_opf = opf;
	atomic_set(&bio->__bi_remaining, 1);
	atomic_set(&bio->__bi_cnt, 1);
	bio->bi_io_vec = table;
	bio->bi_max_vecs = max_vecs;
}

void bio_uninit(struct bio *bio) {}

void bio_reset(struct bio *bio, struct block_device *bdev, blk_opf_t opf)
{
	struct bio_vec *table = bio->bi_io_vec;
	unsigned short max = bio->bi_max_vecs;
	struct bio_set *bs = bio->bi_pool;
	unsigned short flags = bio->bi_flags & (1 << BIO_CLONED);

	bio_init(bio, bdev, table, max, opf);
	bio->bi_pool = bs;
	bio->bi_flags = flags;
}

struct bio *bio_alloc_bioset(struct block_device *bdev, unsigned short nr_vecs, blk_opf_t opf, gfp_t gfp_mask,
			     struct bio_set *bs)
{
	struct bio_vec *bvl = NULL;
	struct bio *bio;
	void *p;

	if (bs == &fs_bio_set || bs == &split_bio_set)
		init_default_sets();
	if (WARN_ON_ONCE(nr_vecs > BIO_MAX_VECS))
		return NULL;
	if (WARN_ON_ONCE(nr_vecs && !(bs->flags & BIOSET_NEED_BVECS) && bs != &fs_bio_set))
		return NULL;
	p = mempool_alloc(&bs->bio_pool, gfp_mask);
	if (!p)
		return NULL;
	if (nr_vecs) {
		bvl = mempool_alloc(&bs->bvec_pool, gfp_mask);
		if (!bvl) {
			mempool_free(p, &bs->bio_pool);
			return NULL;
		}
	}
	bio = (struct bio *)((char *)p + bs->front_pad);
	bio_init(bio, bdev, bvl, nr_vecs ? BIO_MAX_VECS : 0, opf);
	bio->bi_pool = bs;
	return bio;
}

struct bio *bio_kmalloc(unsigned short nr_vecs, gfp_t gfp_mask)
{
	struct bio *bio;

	if (nr_vecs > BIO_MAX_VECS)
		return NULL;
	bio = kmalloc(struct_size(bio, bi_inline_vecs, nr_vecs), gfp_mask);
	if (bio)
		bio_init(bio, NULL, bio->bi_inline_vecs, nr_vecs, 0);
	return bio;
}

static void bio_free(struct bio *bio)
{
	struct bio_set *bs = bio->bi_pool;

	if (!bs) {
		kfree(bio); /* bio_kmalloc */
		return;
	}
	if (bio->bi_max_vecs && !bio_flagged(bio, BIO_CLONED))
		mempool_free(bio->bi_io_vec, &bs->bvec_pool);
	mempool_free((char *)bio - bs->front_pad, &bs->bio_pool);
}

/* Frees when the last reference goes (a bio never bio_get()-ed has one). */
void bio_put(struct bio *bio)
{
	if (bio_flagged(bio, BIO_REFFED) && !atomic_dec_and_test(&bio->__bi_cnt))
		return;
	bio_free(bio);
}

struct bio *bio_alloc_clone(struct block_device *bdev, struct bio *bio_src, gfp_t gfp, struct bio_set *bs)
{
	struct bio *bio = bio_alloc_bioset(bdev, 0, bio_src->bi_opf, gfp, bs);

	if (!bio)
		return NULL;
	bio_set_flag(bio, BIO_CLONED);
	bio->bi_ioprio = bio_src->bi_ioprio;
	bio->bi_iter = bio_src->bi_iter;
	bio->bi_io_vec = bio_src->bi_io_vec;
	return bio;
}

int bio_add_page(struct bio *bio, struct page *page, unsigned int len, unsigned int offset)
{
	if (WARN_ON_ONCE(bio_flagged(bio, BIO_CLONED)))
		return 0;
	if (bio->bi_iter.bi_size > UINT_MAX - len)
		return 0;
	if (bio->bi_vcnt > 0) {
		struct bio_vec *bv = &bio->bi_io_vec[bio->bi_vcnt - 1];

		/* contiguous in the same page: extend the last vector */
		if (bv->bv_page == page && bv->bv_offset + bv->bv_len == offset) {
			bv->bv_len += len;
			bio->bi_iter.bi_size += len;
			return len;
		}
	}
	if (bio->bi_vcnt >= bio->bi_max_vecs)
		return 0;
	bio->bi_io_vec[bio->bi_vcnt].bv_page = page;
	bio->bi_io_vec[bio->bi_vcnt].bv_len = len;
	bio->bi_io_vec[bio->bi_vcnt].bv_offset = offset;
	bio->bi_vcnt++;
	bio->bi_iter.bi_size += len;
	return len;
}

static void bio_chain_endio(struct bio *bio)
{
	/* not called: bio_endio unrolls chains itself (no recursion) */
	BUG();
}

void bio_chain(struct bio *bio, struct bio *parent)
{
	BUG_ON(bio->bi_private || bio->bi_end_io);
	bio->bi_private = parent;
	bio->bi_end_io = bio_chain_endio;
	bio_set_flag(parent, BIO_CHAIN);
	atomic_inc(&parent->__bi_remaining);
}

/* Completion.  A chained parent completes once every child and the parent
 * itself have completed; the first error wins. */
void bio_endio(struct bio *bio)
{
	for (;;) {
		if (bio_flagged(bio, BIO_CHAIN) && !atomic_dec_and_test(&bio->__bi_remaining))
			return;
		if (bio->bi_end_io == bio_chain_endio) {
			struct bio *parent = bio->bi_private;

			if (bio->bi_status && !parent->bi_status)
				parent->bi_status = bio->bi_status;
			bio_put(bio);
			bio = parent;
			continue;
		}
		if (bio->bi_end_io)
			bio->bi_end_io(bio);
		return;
	}
}

/* Splits off the front of @bio that fits the queue's limits for its
 * operation; the remainder is chained to it and resubmitted.  Returns the
 * bio to process now (@bio itself when it fits). */
struct bio *bio_split_to_limits(struct bio *bio)
{
	struct request_queue *q = bdev_get_queue(bio->bi_bdev);
	unsigned int max_sectors, lbs_sectors = queue_logical_block_size(q) >> SECTOR_SHIFT;
	struct bio *split;

	switch (bio_op(bio)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		max_sectors = min_not_zero(q->limits.max_sectors, q->limits.max_hw_sectors);
		break;
	case REQ_OP_DISCARD:
		max_sectors = q->limits.max_discard_sectors;
		break;
	case REQ_OP_WRITE_ZEROES:
		max_sectors = q->limits.max_write_zeroes_sectors;
		break;
	default:
		return bio;
	}
	max_sectors = round_down(max_sectors, lbs_sectors ? lbs_sectors : 1);
	if (!max_sectors || bio_sectors(bio) <= max_sectors)
		return bio;

	split = bio_alloc_clone(bio->bi_bdev, bio, GFP_NOIO, &split_bio_set);
	if (!split) {
		bio->bi_status = BLK_STS_RESOURCE;
		bio_endio(bio);
		return NULL;
	}
	/* Both parts keep the flags: PREFLUSH on the remainder is a second,
	 * harmless flush; FUA must hold for every part. */
	split->bi_iter.bi_size = max_sectors << SECTOR_SHIFT;
	bio_advance_iter(bio, &bio->bi_iter, split->bi_iter.bi_size);
	bio_chain(split, bio);
	submit_bio_noacct(bio);
	return split;
}

unsigned long bio_start_io_acct(struct bio *bio)
{
	return jiffies;
}

void bio_end_io_acct_remapped(struct bio *bio, unsigned long start_time, struct block_device *orig_bdev) {}

/* Hands a bio to its device: a driver's gendisk (->submit_bio, e.g. DRBD)
 * or a backing device's submitter.  Bios submitted while a submit_bio is
 * running on this task are queued and run after it returns, as the kernel
 * does, so stacked drivers never recurse. */
static void dispatch(struct bio *bio)
{
	struct block_device *bdev = bio->bi_bdev;

	if (bdev && bdev->bd_disk && bdev->bd_disk->fops && bdev->bd_disk->fops->submit_bio)
		bdev->bd_disk->fops->submit_bio(bio);
	else if (bdev && bdev->bd_submit)
		bdev->bd_submit(bio);
	else
		bio_io_error(bio);
}

void submit_bio_noacct(struct bio *bio)
{
	struct task_struct *tsk = current;
	struct bio_list pending;

	if (tsk->bio_list) {
		bio_list_add(tsk->bio_list, bio);
		return;
	}
	bio_list_init(&pending);
	tsk->bio_list = &pending;
	do {
		dispatch(bio);
	} while ((bio = bio_list_pop(&pending)));
	tsk->bio_list = NULL;
}

void submit_bio(struct bio *bio)
{
	struct block_device *bdev = bio->bi_bdev;

	/* I/O accounting of the device (part_stat: what DRBD's resync
	 * throttling reads from its backing device). */
	if (bdev && bio_has_data(bio)) {
		unsigned int dir = op_is_write(bio->bi_opf) ? 1 : 0;

		__atomic_fetch_add(&bdev->bd_stats.sectors[dir], bio_sectors(bio), __ATOMIC_RELAXED);
		__atomic_fetch_add(&bdev->bd_stats.ios[dir], 1, __ATOMIC_RELAXED);
	}
	submit_bio_noacct(bio);
}

/* bios: allocation from bio_sets, cloning, completion (umc/kernel/block/bio.c;
 * submission goes to the runtime's block layer). */
#ifndef __LINUX_BIO_H
#define __LINUX_BIO_H
#include <linux/mempool.h>
#include <linux/blk_types.h>
#include <linux/uio.h>

#define BIO_MAX_VECS 256U
#define BIO_POOL_SIZE 2

struct bio_set {
	struct kmem_cache *bio_slab;
	unsigned int front_pad;
	mempool_t bio_pool;
	mempool_t bvec_pool;
	unsigned int flags;
};
enum {
	BIOSET_NEED_BVECS = (1 << 0),
	BIOSET_NEED_RESCUER = (1 << 1),
	BIOSET_PERCPU_CACHE = (1 << 2),
};
extern struct bio_set fs_bio_set;

int bioset_init(struct bio_set *bs, unsigned int pool_size, unsigned int front_pad, int flags);
void bioset_exit(struct bio_set *bs);
static inline bool bioset_initialized(struct bio_set *bs) { return bs->bio_slab != NULL; }
struct bio *bio_alloc_bioset(struct block_device *bdev, unsigned short nr_vecs, blk_opf_t opf, gfp_t gfp_mask,
			     struct bio_set *bs);
struct bio *bio_kmalloc(unsigned short nr_vecs, gfp_t gfp_mask);
static inline struct bio *bio_alloc(struct block_device *bdev, unsigned short nr_vecs, blk_opf_t opf, gfp_t gfp_mask)
{
	return bio_alloc_bioset(bdev, nr_vecs, opf, gfp_mask, &fs_bio_set);
}
/* A new bio sharing @bio_src's vecs (and its iterator), from @bs. */
struct bio *bio_alloc_clone(struct block_device *bdev, struct bio *bio_src, gfp_t gfp, struct bio_set *bs);
void bio_init(struct bio *bio, struct block_device *bdev, struct bio_vec *table, unsigned short max_vecs,
	      blk_opf_t opf);
void bio_uninit(struct bio *bio);
void bio_reset(struct bio *bio, struct block_device *bdev, blk_opf_t opf);
void bio_put(struct bio *bio);
static inline void bio_get(struct bio *bio)
{
	bio->bi_flags |= (1 << BIO_REFFED);
	atomic_inc(&bio->__bi_cnt);
}
/* Returns the number of bytes added: @len, or 0 when the bio is full. */
int bio_add_page(struct bio *bio, struct page *page, unsigned int len, unsigned int offset);
void bio_endio(struct bio *bio);
static inline void bio_io_error(struct bio *bio)
{
	bio->bi_status = BLK_STS_IOERR;
	bio_endio(bio);
}
void submit_bio(struct bio *bio);
void submit_bio_noacct(struct bio *bio);
int submit_bio_wait(struct bio *bio);
void bio_chain(struct bio *bio, struct bio *parent);

/* A singly linked FIFO of bios (through bi_next). */
struct bio_list {
	struct bio *head;
	struct bio *tail;
};
static inline void bio_list_init(struct bio_list *bl) { bl->head = bl->tail = NULL; }
static inline bool bio_list_empty(const struct bio_list *bl) { return bl->head == NULL; }
static inline void bio_list_add(struct bio_list *bl, struct bio *bio)
{
	bio->bi_next = NULL;
	if (bl->tail)
		bl->tail->bi_next = bio;
	else
		bl->head = bio;
	bl->tail = bio;
}
static inline struct bio *bio_list_pop(struct bio_list *bl)
{
	struct bio *bio = bl->head;

	if (bio) {
		bl->head = bl->head->bi_next;
		if (!bl->head)
			bl->tail = NULL;
		bio->bi_next = NULL;
	}
	return bio;
}

static inline bool bio_has_data(struct bio *bio)
{
	return bio && bio->bi_iter.bi_size && bio_op(bio) != REQ_OP_DISCARD &&
	       bio_op(bio) != REQ_OP_SECURE_ERASE && bio_op(bio) != REQ_OP_WRITE_ZEROES;
}
#define bio_data_dir(bio) (op_is_write(bio_op(bio)) ? WRITE : READ)
#define bio_iter_iovec(bio, iter) bvec_iter_bvec((bio)->bi_io_vec, (iter))
#define bio_iter_page(bio, iter) bvec_iter_page((bio)->bi_io_vec, (iter))
#define bio_iter_len(bio, iter) bvec_iter_len((bio)->bi_io_vec, (iter))
#define bio_iter_offset(bio, iter) bvec_iter_offset((bio)->bi_io_vec, (iter))
#define bio_page(bio) bio_iter_page((bio), (bio)->bi_iter)
#define bio_offset(bio) bio_iter_offset((bio), (bio)->bi_iter)
#define bio_sectors(bio) ((bio)->bi_iter.bi_size >> 9)
#define bio_end_sector(bio) ((bio)->bi_iter.bi_sector + bio_sectors((bio)))
static inline void bio_advance_iter(const struct bio *bio, struct bvec_iter *iter, unsigned int bytes)
{
	iter->bi_sector += bytes >> 9;
	if (bio_op(bio) == REQ_OP_DISCARD || bio_op(bio) == REQ_OP_WRITE_ZEROES)
		iter->bi_size -= bytes;
	else
		bvec_iter_advance(bio->bi_io_vec, iter, bytes);
}
static inline void bio_advance_iter_single(const struct bio *bio, struct bvec_iter *iter, unsigned int bytes)
{
	bio_advance_iter(bio, iter, bytes);
}
#define __bio_for_each_segment(bvl, bio, iter, start)                                   \
	for (iter = (start); (iter).bi_size && ((bvl = bio_iter_iovec((bio), (iter))), 1); \
	     bio_advance_iter_single((bio), &(iter), (bvl).bv_len))
#define bio_for_each_segment(bvl, bio, iter) __bio_for_each_segment(bvl, bio, iter, (bio)->bi_iter)
#define bio_iter_last(bvec, iter) ((iter).bi_size == (bvec).bv_len)
#define bio_for_each_segment_all(bvl, bio, iter) \
	for (iter = 0; iter < (bio)->bi_vcnt && ((bvl) = &(bio)->bi_io_vec[iter], 1); iter++)
static inline struct page *bio_first_page_all(struct bio *bio) { return bio->bi_io_vec[0].bv_page; }
static inline struct bio_vec *bio_first_bvec_all(struct bio *bio) { return bio->bi_io_vec; }
static inline void bio_set_dev(struct bio *bio, struct block_device *bdev) { bio->bi_bdev = bdev; }
static inline void bio_set_flag(struct bio *bio, unsigned int bit) { bio->bi_flags |= (1U << bit); }
static inline void bio_clear_flag(struct bio *bio, unsigned int bit) { bio->bi_flags &= ~(1U << bit); }
static inline bool bio_flagged(struct bio *bio, unsigned int bit) { return (bio->bi_flags & (1U << bit)) != 0; }
#endif

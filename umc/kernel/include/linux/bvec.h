#ifndef __LINUX_BVEC_H
#define __LINUX_BVEC_H
#include <linux/types.h>
#include <linux/mm.h>
#include <linux/minmax.h>
#include <linux/highmem.h>

struct bio_vec {
	struct page *bv_page;
	unsigned int bv_len;
	unsigned int bv_offset;
};

/* Position in a bio: sector, bytes left, index into bi_io_vec and bytes
 * already done of that vec. */
struct bvec_iter {
	sector_t bi_sector;
	unsigned int bi_size;
	unsigned int bi_idx;
	unsigned int bi_bvec_done;
};

/* The segment at @iter, clipped to the bytes left.  Pages of a multi-page
 * vec are contiguous descriptors, so the page is found by offset. */
#define __bvec_iter_bvec(bvec, iter) (&(bvec)[(iter).bi_idx])
#define mp_bvec_iter_page(bvec, iter) (__bvec_iter_bvec((bvec), (iter))->bv_page)
#define mp_bvec_iter_len(bvec, iter) min((iter).bi_size, __bvec_iter_bvec((bvec), (iter))->bv_len - (iter).bi_bvec_done)
#define mp_bvec_iter_offset(bvec, iter) (__bvec_iter_bvec((bvec), (iter))->bv_offset + (iter).bi_bvec_done)
#define mp_bvec_iter_page_idx(bvec, iter) (mp_bvec_iter_offset((bvec), (iter)) / PAGE_SIZE)
#define bvec_iter_offset(bvec, iter) (mp_bvec_iter_offset((bvec), (iter)) % PAGE_SIZE)
#define bvec_iter_len(bvec, iter) min_t(unsigned, mp_bvec_iter_len((bvec), (iter)), PAGE_SIZE - bvec_iter_offset((bvec), (iter)))
#define bvec_iter_page(bvec, iter) (mp_bvec_iter_page((bvec), (iter)) + mp_bvec_iter_page_idx((bvec), (iter)))
#define bvec_iter_bvec(bvec, iter)                              \
	((struct bio_vec){                                      \
		.bv_page = bvec_iter_page((bvec), (iter)),      \
		.bv_len = bvec_iter_len((bvec), (iter)),        \
		.bv_offset = bvec_iter_offset((bvec), (iter)),  \
	})

static inline bool bvec_iter_advance(const struct bio_vec *bv, struct bvec_iter *iter, unsigned bytes)
{
	unsigned int idx = iter->bi_idx;

	if (WARN_ONCE(bytes > iter->bi_size, "Attempted to advance past end of bvec iter\n")) {
		iter->bi_size = 0;
		return false;
	}
	iter->bi_size -= bytes;
	bytes += iter->bi_bvec_done;
	while (bytes && bytes >= bv[idx].bv_len) {
		bytes -= bv[idx].bv_len;
		idx++;
	}
	iter->bi_idx = idx;
	iter->bi_bvec_done = bytes;
	return true;
}

static inline void *bvec_kmap_local(struct bio_vec *bvec)
{
	return (char *)page_address(bvec->bv_page) + bvec->bv_offset;
}
#endif

#ifndef _LINUX_UIO_H
#define _LINUX_UIO_H
#include <linux/types.h>
struct kvec {
	void *iov_base;
	size_t iov_len;
};
struct iovec {
	void __user *iov_base;
	size_t iov_len;
};
/* Data direction of an iterator (6.1 names). */
#define ITER_SOURCE 1  /* == WRITE: data flows out of the buffers */
#define ITER_DEST 0    /* == READ: data flows into the buffers */
enum iter_type { ITER_IOVEC, ITER_KVEC, ITER_BVEC };
struct iov_iter {
	u8 iter_type;
	bool data_source;
	size_t iov_offset;
	size_t count;
	const struct kvec *kvec;
	unsigned long nr_segs;
};
static inline void iov_iter_kvec(struct iov_iter *i, unsigned int direction, const struct kvec *kvec,
				 unsigned long nr_segs, size_t count)
{
	i->iter_type = ITER_KVEC;
	i->data_source = direction;
	i->kvec = kvec;
	i->nr_segs = nr_segs;
	i->iov_offset = 0;
	i->count = count;
}
static inline size_t iov_iter_count(const struct iov_iter *i) { return i->count; }
/* Consumes @size bytes from the front (kvec iterators). */
static inline void iov_iter_advance(struct iov_iter *i, size_t size)
{
	if (size > i->count)
		size = i->count;
	i->count -= size;
	size += i->iov_offset;
	while (i->nr_segs && size >= i->kvec->iov_len) {
		size -= i->kvec->iov_len;
		i->kvec++;
		i->nr_segs--;
	}
	i->iov_offset = size;
}
#endif

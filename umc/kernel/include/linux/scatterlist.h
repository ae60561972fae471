/* Scatterlists, as far as hashing over them needs (ahash): the kernel's
 * layout and page_link encoding (bit 0: chain, bit 1: end). */
#ifndef _LINUX_SCATTERLIST_H
#define _LINUX_SCATTERLIST_H
#include <linux/types.h>
#include <linux/mm.h>
#include <linux/string.h>

struct scatterlist {
	unsigned long page_link;
	unsigned int offset;
	unsigned int length;
	dma_addr_t dma_address;
	unsigned int dma_length;
};

#define SG_CHAIN 0x01UL
#define SG_END 0x02UL
#define SG_PAGE_LINK_MASK (SG_CHAIN | SG_END)

static inline bool sg_is_chain(const struct scatterlist *sg) { return sg->page_link & SG_CHAIN; }
static inline bool sg_is_last(const struct scatterlist *sg) { return sg->page_link & SG_END; }
static inline struct scatterlist *sg_chain_ptr(const struct scatterlist *sg)
{
	return (struct scatterlist *)(sg->page_link & ~SG_PAGE_LINK_MASK);
}
static inline struct page *sg_page(const struct scatterlist *sg)
{
	return (struct page *)(sg->page_link & ~SG_PAGE_LINK_MASK);
}
static inline void sg_assign_page(struct scatterlist *sg, struct page *page)
{
	sg->page_link = (sg->page_link & SG_PAGE_LINK_MASK) | (unsigned long)page;
}
static inline void sg_set_page(struct scatterlist *sg, struct page *page, unsigned int len, unsigned int offset)
{
	sg_assign_page(sg, page);
	sg->offset = offset;
	sg->length = len;
}
/* Buffers outside page frames (kmalloc, stack, static data: virt_to_page()
 * knows only umc_pages_alloc memory) are kept without a page: page bits 0
 * and the address in dma_address, which nothing else uses here (no DMA).
 * sg_virt() works for both; sg_page() is NULL for the second kind. */
static inline void *sg_virt(const struct scatterlist *sg)
{
	struct page *page = sg_page(sg);

	if (page)
		return (char *)page_address(page) + sg->offset;
	return (char *)(unsigned long)sg->dma_address + sg->offset;
}
static inline void sg_set_buf(struct scatterlist *sg, const void *buf, unsigned int buflen)
{
	struct page *page = virt_to_page(buf);

	if (page) {
		sg_set_page(sg, page, buflen, (unsigned int)((const char *)buf - (const char *)page_address(page)));
		return;
	}
	sg->page_link &= SG_PAGE_LINK_MASK;
	sg->dma_address = (dma_addr_t)(unsigned long)buf;
	sg->offset = 0;
	sg->length = buflen;
}
static inline void sg_mark_end(struct scatterlist *sg) { sg->page_link = (sg->page_link | SG_END) & ~SG_CHAIN; }
static inline void sg_unmark_end(struct scatterlist *sg) { sg->page_link &= ~SG_END; }
static inline void sg_init_table(struct scatterlist *sgl, unsigned int nents)
{
	memset(sgl, 0, sizeof(*sgl) * nents);
	sg_mark_end(&sgl[nents - 1]);
}
static inline void sg_init_one(struct scatterlist *sg, const void *buf, unsigned int buflen)
{
	sg_init_table(sg, 1);
	sg_set_buf(sg, buf, buflen);
}
static inline void sg_chain(struct scatterlist *prv, unsigned int prv_nents, struct scatterlist *sgl)
{
	prv[prv_nents - 1].offset = 0;
	prv[prv_nents - 1].length = 0;
	prv[prv_nents - 1].page_link = ((unsigned long)sgl | SG_CHAIN) & ~SG_END;
}
static inline struct scatterlist *sg_next(struct scatterlist *sg)
{
	if (sg_is_last(sg))
		return NULL;
	sg++;
	if (sg_is_chain(sg))
		sg = sg_chain_ptr(sg);
	return sg;
}
#define for_each_sg(sglist, sg, nr, __i) \
	for (__i = 0, sg = (sglist); __i < (nr); __i++, sg = sg_next(sg))
#endif

/* Block I/O types: struct bio and the request flags (6.1 layout of
 * bi_opf: op in the low 8 bits, flags above). */
#ifndef __LINUX_BLK_TYPES_H
#define __LINUX_BLK_TYPES_H
#include <linux/types.h>
#include <linux/bvec.h>
#include <linux/atomic.h>
#include <linux/kdev_t.h>

struct bio_set;
struct bio;
struct gendisk;
struct request_queue;
typedef void(bio_end_io_t)(struct bio *);

#define SECTOR_SHIFT 9
#define SECTOR_SIZE (1 << SECTOR_SHIFT)
#define PAGE_SECTORS_SHIFT (PAGE_SHIFT - SECTOR_SHIFT)
#define PAGE_SECTORS (1 << PAGE_SECTORS_SHIFT)

struct disk_stats {
	u64 nsecs[4];
	unsigned long sectors[4];
	unsigned long ios[4];
	unsigned long merges[4];
	unsigned long io_ticks;
};

struct block_device {
	sector_t bd_start_sect;
	sector_t bd_nr_sectors;
	struct disk_stats bd_stats;   /* read/write sector counters (part_stat) */
	dev_t bd_dev;
	bool bd_read_only;
	void *bd_holder;
	struct gendisk *bd_disk;
	struct request_queue *bd_queue;
	u8 bd_partno;
	/* How bios reach a device that is not a driver's gendisk (a backing
	 * device opened by blkdev_get_by_path): set by whoever opened it. */
	void (*bd_submit)(struct bio *bio);
	void *bd_umc;                 /* the backend behind this device, if any */
};

typedef u8 __bitwise blk_status_t;
#define BLK_STS_OK 0
#define BLK_STS_NOTSUPP ((__force blk_status_t)1)
#define BLK_STS_TIMEOUT ((__force blk_status_t)2)
#define BLK_STS_NOSPC ((__force blk_status_t)3)
#define BLK_STS_TRANSPORT ((__force blk_status_t)4)
#define BLK_STS_TARGET ((__force blk_status_t)5)
#define BLK_STS_NEXUS ((__force blk_status_t)6)
#define BLK_STS_MEDIUM ((__force blk_status_t)7)
#define BLK_STS_PROTECTION ((__force blk_status_t)8)
#define BLK_STS_RESOURCE ((__force blk_status_t)9)
#define BLK_STS_IOERR ((__force blk_status_t)10)
#define BLK_STS_AGAIN ((__force blk_status_t)12)

typedef __u32 __bitwise blk_opf_t;
typedef unsigned int blk_qc_t;

enum req_op {
	REQ_OP_READ = 0,
	REQ_OP_WRITE = 1,
	REQ_OP_FLUSH = 2,
	REQ_OP_DISCARD = 3,
	REQ_OP_SECURE_ERASE = 5,
	REQ_OP_WRITE_ZEROES = 9,
	REQ_OP_ZONE_OPEN = 10,
	REQ_OP_ZONE_CLOSE = 11,
	REQ_OP_ZONE_FINISH = 12,
	REQ_OP_ZONE_APPEND = 13,
	REQ_OP_ZONE_RESET = 15,
	REQ_OP_ZONE_RESET_ALL = 17,
	REQ_OP_DRV_IN = 34,
	REQ_OP_DRV_OUT = 35,
	REQ_OP_LAST,
};
#define REQ_OP_BITS 8
#define REQ_OP_MASK ((1 << REQ_OP_BITS) - 1)

enum req_flag_bits {
	__REQ_FAILFAST_DEV = REQ_OP_BITS,
	__REQ_FAILFAST_TRANSPORT,
	__REQ_FAILFAST_DRIVER,
	__REQ_SYNC,
	__REQ_META,
	__REQ_PRIO,
	__REQ_NOMERGE,
	__REQ_IDLE,
	__REQ_INTEGRITY,
	__REQ_FUA,
	__REQ_PREFLUSH,
	__REQ_RAHEAD,
	__REQ_BACKGROUND,
	__REQ_NOWAIT,
	__REQ_CGROUP_PUNT,
	__REQ_POLLED,
	__REQ_ALLOC_CACHE,
	__REQ_SWAP,
	__REQ_DRV,
	__REQ_NOUNMAP,
	__REQ_NR_BITS,
};
#define REQ_FAILFAST_DEV ((__force blk_opf_t)(1ULL << __REQ_FAILFAST_DEV))
#define REQ_FAILFAST_TRANSPORT ((__force blk_opf_t)(1ULL << __REQ_FAILFAST_TRANSPORT))
#define REQ_FAILFAST_DRIVER ((__force blk_opf_t)(1ULL << __REQ_FAILFAST_DRIVER))
#define REQ_SYNC ((__force blk_opf_t)(1ULL << __REQ_SYNC))
#define REQ_META ((__force blk_opf_t)(1ULL << __REQ_META))
#define REQ_PRIO ((__force blk_opf_t)(1ULL << __REQ_PRIO))
#define REQ_NOMERGE ((__force blk_opf_t)(1ULL << __REQ_NOMERGE))
#define REQ_IDLE ((__force blk_opf_t)(1ULL << __REQ_IDLE))
#define REQ_INTEGRITY ((__force blk_opf_t)(1ULL << __REQ_INTEGRITY))
#define REQ_FUA ((__force blk_opf_t)(1ULL << __REQ_FUA))
#define REQ_PREFLUSH ((__force blk_opf_t)(1ULL << __REQ_PREFLUSH))
#define REQ_RAHEAD ((__force blk_opf_t)(1ULL << __REQ_RAHEAD))
#define REQ_BACKGROUND ((__force blk_opf_t)(1ULL << __REQ_BACKGROUND))
#define REQ_NOWAIT ((__force blk_opf_t)(1ULL << __REQ_NOWAIT))
#define REQ_NOUNMAP ((__force blk_opf_t)(1ULL << __REQ_NOUNMAP))
#define REQ_FAILFAST_MASK (REQ_FAILFAST_DEV | REQ_FAILFAST_TRANSPORT | REQ_FAILFAST_DRIVER)

static inline enum req_op bio_op(const struct bio *bio);
static inline bool op_is_write(blk_opf_t op) { return !!(op & (__force blk_opf_t)1); }
static inline bool op_is_flush(blk_opf_t op) { return op & (REQ_FUA | REQ_PREFLUSH); }
static inline bool op_is_sync(blk_opf_t op)
{
	return (op & REQ_OP_MASK) == REQ_OP_READ || (op & (REQ_SYNC | REQ_FUA | REQ_PREFLUSH));
}
static inline bool op_is_discard(blk_opf_t op) { return (op & REQ_OP_MASK) == REQ_OP_DISCARD; }

enum {
	BIO_NO_PAGE_REF,
	BIO_CLONED,
	BIO_BOUNCED,
	BIO_QUIET,
	BIO_CHAIN,
	BIO_REFFED,
	BIO_TRACKED,
	BIO_FLAG_LAST
};

struct bio {
	struct bio *bi_next;
	struct block_device *bi_bdev;
	blk_opf_t bi_opf;
	unsigned short bi_flags;
	unsigned short bi_ioprio;
	blk_status_t bi_status;
	atomic_t __bi_remaining;
	struct bvec_iter bi_iter;
	bio_end_io_t *bi_end_io;
	void *bi_private;
	unsigned short bi_vcnt;
	unsigned short bi_max_vecs;
	atomic_t __bi_cnt;
	struct bio_vec *bi_io_vec;
	struct bio_set *bi_pool;
	struct bio_vec bi_inline_vecs[];
};

static inline enum req_op bio_op(const struct bio *bio) { return (enum req_op)(bio->bi_opf & REQ_OP_MASK); }
#endif

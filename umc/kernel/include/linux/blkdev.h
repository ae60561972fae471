/* Block devices, disks, queues and their limits (the files of umc/kernel/block/ and
 * the runtime's block layer).  Limits follow the kernel's stacking rules. */
#ifndef _LINUX_BLKDEV_H
#define _LINUX_BLKDEV_H

#include <linux/types.h>
#include <linux/blk_types.h>
#include <linux/bio.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/wait.h>
#include <linux/mutex.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/sched.h>
#include <linux/minmax.h>
#include <linux/major.h>
#include <linux/kobject.h>
#include <linux/completion.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <linux/rcupdate.h>
#include <linux/gfp.h>
#include <linux/mempool.h>

#define DISK_NAME_LEN 32
#define BLK_MAX_SEGMENT_SIZE 65536
#define BLK_SAFE_MAX_SECTORS 255
#define BLK_DEF_MAX_SECTORS 2560
#define BLK_SEG_BOUNDARY_MASK 0xFFFFFFFFUL
enum blk_default_limits {
	BLK_MAX_SEGMENTS = 128,
	BLK_SAFE_MAX_SECTORS_ENUM = 255,
	BLK_MAX_SEGMENT_SIZE_ENUM = 65536,
	BLK_SEG_BOUNDARY_MASK_ENUM = 0xFFFFFFFFUL,
};
#define BLKDEV_ZERO_NOUNMAP (1 << 0)
#define BLKDEV_ZERO_NOFALLBACK (1 << 1)

struct queue_limits {
	unsigned long bounce;
	unsigned long seg_boundary_mask;
	unsigned long virt_boundary_mask;
	unsigned int max_hw_sectors;
	unsigned int max_dev_sectors;
	unsigned int chunk_sectors;
	unsigned int max_sectors;
	unsigned int max_segment_size;
	unsigned int physical_block_size;
	unsigned int logical_block_size;
	unsigned int alignment_offset;
	unsigned int io_min;
	unsigned int io_opt;
	unsigned int max_discard_sectors;
	unsigned int max_hw_discard_sectors;
	unsigned int max_secure_erase_sectors;
	unsigned int max_write_zeroes_sectors;
	unsigned int max_zone_append_sectors;
	unsigned int discard_granularity;
	unsigned int discard_alignment;
	unsigned int zone_write_granularity;
	unsigned int dma_alignment;
	unsigned short max_segments;
	unsigned short max_integrity_segments;
	unsigned short max_discard_segments;
	unsigned char misaligned;
	unsigned char discard_misaligned;
	unsigned char raid_partial_stripes_expensive;
};

#define QUEUE_FLAG_STOPPED 0
#define QUEUE_FLAG_DYING 1
#define QUEUE_FLAG_NOMERGES 3
#define QUEUE_FLAG_SAME_COMP 4
#define QUEUE_FLAG_FAIL_IO 5
#define QUEUE_FLAG_NONROT 6
#define QUEUE_FLAG_IO_STAT 7
#define QUEUE_FLAG_NOXMERGES 9
#define QUEUE_FLAG_ADD_RANDOM 10
#define QUEUE_FLAG_SAME_FORCE 12
#define QUEUE_FLAG_INIT_DONE 14
#define QUEUE_FLAG_STABLE_WRITES 15
#define QUEUE_FLAG_POLL 16
#define QUEUE_FLAG_WC 17
#define QUEUE_FLAG_FUA 18
#define QUEUE_FLAG_DAX 19
#define QUEUE_FLAG_NOWAIT 29

struct request_queue {
	struct queue_limits limits;
	unsigned long queue_flags;
	void *queuedata;
	struct gendisk *disk;
	struct mutex sysfs_lock;
};

struct block_device_operations;
struct gendisk {
	int major;
	int first_minor;
	int minors;
	char disk_name[DISK_NAME_LEN];
	unsigned short events;
	unsigned short event_flags;
	struct block_device *part0;
	const struct block_device_operations *fops;
	struct request_queue *queue;
	void *private_data;
	int flags;
	unsigned long state;
	struct device dev;     /* disk_to_dev(); dev_printk prints its name */
	struct kobject *slave_dir;
	void *umc;             /* the runtime's node for this disk */
};
enum {
	GENHD_FL_REMOVABLE = 1 << 0,
	GENHD_FL_HIDDEN = 1 << 1,
	GENHD_FL_NO_PART = 1 << 2,
};
#define disk_to_dev(disk) (&(disk)->dev)

struct block_device_operations {
	void (*submit_bio)(struct bio *bio);
	int (*poll_bio)(struct bio *bio, void *iob, unsigned int flags);
	int (*open)(struct block_device *bdev, fmode_t mode);
	void (*release)(struct gendisk *disk, fmode_t mode);
	int (*ioctl)(struct block_device *bdev, fmode_t mode, unsigned cmd, unsigned long arg);
	int (*compat_ioctl)(struct block_device *bdev, fmode_t mode, unsigned cmd, unsigned long arg);
	unsigned int (*check_events)(struct gendisk *disk, unsigned int clearing);
	void (*unlock_native_capacity)(struct gendisk *disk);
	int (*getgeo)(struct block_device *bdev, void *geo);
	struct module *owner;
};

/* ---- plugging ---- */
struct blk_plug {
	struct list_head cb_list;
	bool multiple_queues;
};
struct blk_plug_cb;
typedef void (*blk_plug_cb_fn)(struct blk_plug_cb *cb, bool from_schedule);
struct blk_plug_cb {
	struct list_head list;
	blk_plug_cb_fn callback;
	void *data;
};
void blk_start_plug(struct blk_plug *plug);
void blk_finish_plug(struct blk_plug *plug);
/* The callback registered for (@unplug, @data) on current's plug, made
 * with @size bytes (>= sizeof(struct blk_plug_cb)); NULL if not plugged. */
struct blk_plug_cb *blk_check_plugged(blk_plug_cb_fn unplug, void *data, int size);

/* ---- disks ---- */
struct gendisk *__blk_alloc_disk(int node, struct lock_class_key *lkclass);
#define blk_alloc_disk(node_id) __blk_alloc_disk(node_id, NULL)
int device_add_disk(struct device *parent, struct gendisk *disk, const void *groups);
static inline int add_disk(struct gendisk *disk) { return device_add_disk(NULL, disk, NULL); }
void del_gendisk(struct gendisk *gp);
/* Added and not yet deleted (del_gendisk). */
bool disk_live(struct gendisk *disk);
void put_disk(struct gendisk *disk);
/* UMC: the live (added) disk with this name, or NULL. */
struct gendisk *umc_disk_get(const char *name);
void set_disk_ro(struct gendisk *disk, bool read_only);
static inline int get_disk_ro(struct gendisk *disk) { return disk->part0->bd_read_only; }
bool set_capacity_and_notify(struct gendisk *disk, sector_t size);
void set_capacity(struct gendisk *disk, sector_t size);
static inline sector_t get_capacity(struct gendisk *disk) { return READ_ONCE(disk->part0->bd_nr_sectors); }
void disk_update_readahead(struct gendisk *disk);
static inline sector_t bdev_nr_sectors(struct block_device *bdev) { return READ_ONCE(bdev->bd_nr_sectors); }
static inline loff_t bdev_nr_bytes(struct block_device *bdev) { return (loff_t)bdev_nr_sectors(bdev) << SECTOR_SHIFT; }
static inline struct request_queue *bdev_get_queue(struct block_device *bdev) { return bdev->bd_disk->queue; }
static inline dev_t disk_devt(struct gendisk *disk) { return disk->part0->bd_dev; }

int __register_blkdev(unsigned int major, const char *name, void (*probe)(dev_t devt));
#define register_blkdev(major, name) __register_blkdev(major, name, NULL)
void unregister_blkdev(unsigned int major, const char *name);
#define MODULE_ALIAS_BLOCKDEV_MAJOR(major)

struct block_device *blkdev_get_by_path(const char *path, fmode_t mode, void *holder);
struct block_device *blkdev_get_by_dev(dev_t dev, fmode_t mode, void *holder);
void blkdev_put(struct block_device *bdev, fmode_t mode);
int bd_link_disk_holder(struct block_device *bdev, struct gendisk *disk);
void bd_unlink_disk_holder(struct block_device *bdev, struct gendisk *disk);
int blkdev_issue_discard(struct block_device *bdev, sector_t sector, sector_t nr_sects, gfp_t gfp_mask);
int blkdev_issue_zeroout(struct block_device *bdev, sector_t sector, sector_t nr_sects, gfp_t gfp_mask,
			 unsigned flags);
int blkdev_issue_flush(struct block_device *bdev);

/* ---- queue limits ---- */
void blk_set_default_limits(struct queue_limits *lim);
void blk_set_stacking_limits(struct queue_limits *lim);
int blk_stack_limits(struct queue_limits *t, struct queue_limits *b, sector_t start);
void blk_queue_max_hw_sectors(struct request_queue *q, unsigned int max_hw_sectors);
void blk_queue_max_segments(struct request_queue *q, unsigned short max_segments);
void blk_queue_max_discard_sectors(struct request_queue *q, unsigned int max_discard_sectors);
void blk_queue_max_write_zeroes_sectors(struct request_queue *q, unsigned int max_write_same_sectors);
void blk_queue_segment_boundary(struct request_queue *q, unsigned long mask);
void blk_queue_logical_block_size(struct request_queue *q, unsigned int size);
void blk_queue_physical_block_size(struct request_queue *q, unsigned int size);
void blk_queue_write_cache(struct request_queue *q, bool wc, bool fua);
void blk_queue_flag_set(unsigned int flag, struct request_queue *q);
void blk_queue_flag_clear(unsigned int flag, struct request_queue *q);
static inline bool blk_queue_flag_test(unsigned int flag, struct request_queue *q) { return test_bit(flag, &q->queue_flags); }
#define blk_queue_stable_writes(q) test_bit(QUEUE_FLAG_STABLE_WRITES, &(q)->queue_flags)
#define blk_queue_nonrot(q) test_bit(QUEUE_FLAG_NONROT, &(q)->queue_flags)

static inline unsigned int queue_max_hw_sectors(const struct request_queue *q) { return q->limits.max_hw_sectors; }
static inline unsigned int queue_max_sectors(const struct request_queue *q) { return q->limits.max_sectors; }
static inline unsigned short queue_max_segments(const struct request_queue *q) { return q->limits.max_segments; }
static inline unsigned int queue_logical_block_size(const struct request_queue *q)
{
	return q && q->limits.logical_block_size ? q->limits.logical_block_size : 512;
}
static inline unsigned int queue_physical_block_size(const struct request_queue *q) { return q->limits.physical_block_size; }
static inline unsigned int queue_io_min(const struct request_queue *q) { return q->limits.io_min; }
static inline int queue_io_opt(const struct request_queue *q) { return q->limits.io_opt; }
static inline unsigned int bdev_logical_block_size(struct block_device *bdev) { return queue_logical_block_size(bdev_get_queue(bdev)); }
static inline unsigned int bdev_physical_block_size(struct block_device *bdev) { return queue_physical_block_size(bdev_get_queue(bdev)); }
static inline unsigned int bdev_io_min(struct block_device *bdev) { return queue_io_min(bdev_get_queue(bdev)); }
static inline int bdev_io_opt(struct block_device *bdev) { return queue_io_opt(bdev_get_queue(bdev)); }
static inline unsigned int bdev_max_discard_sectors(struct block_device *bdev) { return bdev_get_queue(bdev)->limits.max_discard_sectors; }
static inline unsigned int bdev_discard_granularity(struct block_device *bdev) { return bdev_get_queue(bdev)->limits.discard_granularity; }
static inline unsigned int bdev_write_zeroes_sectors(struct block_device *bdev) { return bdev_get_queue(bdev)->limits.max_write_zeroes_sectors; }
static inline bool bdev_nonrot(struct block_device *bdev) { return blk_queue_nonrot(bdev_get_queue(bdev)); }
static inline bool bdev_write_cache(struct block_device *bdev) { return test_bit(QUEUE_FLAG_WC, &bdev_get_queue(bdev)->queue_flags); }
static inline bool bdev_fua(struct block_device *bdev) { return test_bit(QUEUE_FLAG_FUA, &bdev_get_queue(bdev)->queue_flags); }
int bdev_alignment_offset(struct block_device *bdev);
unsigned int bdev_discard_alignment(struct block_device *bdev);
static inline bool bdev_is_partition(struct block_device *bdev) { return bdev->bd_partno; }

/* ---- bio submission helpers ---- */
struct bio *bio_split_to_limits(struct bio *bio);
unsigned long bio_start_io_acct(struct bio *bio);
void bio_end_io_acct_remapped(struct bio *bio, unsigned long start_time, struct block_device *orig_bdev);
static inline void bio_end_io_acct(struct bio *bio, unsigned long start_time)
{
	return bio_end_io_acct_remapped(bio, start_time, bio->bi_bdev);
}
int blk_status_to_errno(blk_status_t status);
blk_status_t errno_to_blk_status(int errno);
const char *bdevname(struct block_device *bdev, char *buffer);
#endif

/* Private to umc/kernel: what a gendisk is made of (genhd.c) and how the
 * host program's handles on it work (hostdisk.c). */
#ifndef UMC_KERNEL_DISK_H
#define UMC_KERNEL_DISK_H
#include <linux/blkdev.h>
#include <linux/kref.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

/* A gendisk, its request_queue and its whole-device block_device (part0),
 * made together by blk_alloc_disk.  This is also the host program's
 * struct umc_disk (umc/kernel_host.h). */
struct umc_disk {
	struct gendisk disk;
	struct request_queue queue;
	struct block_device part0;
	/* One reference for the module (blk_alloc_disk .. put_disk), one per
	 * host handle (umc_disk_lookup .. umc_disk_put): put_disk from the
	 * module does not free what a host handle still points at. */
	struct kref ref;
	struct list_head node;  /* in the live list, while added */
	bool listed;
	spinlock_t lock;        /* dead, calls */
	bool dead;              /* del_gendisk ran: no more calls into fops */
	unsigned int calls;     /* host calls inside the disk's fops */
	wait_queue_head_t idle; /* woken when calls drops to 0 on a dead disk */
};

static inline struct umc_disk *umc_disk_of(struct gendisk *disk)
{
	return container_of(disk, struct umc_disk, disk);
}

/* Enter the disk's fops on behalf of the host: false (and nothing taken)
 * once the disk is dead.  Every true is followed by one umc_disk_leave. */
bool umc_disk_enter(struct umc_disk *d);
void umc_disk_leave(struct umc_disk *d);
#endif

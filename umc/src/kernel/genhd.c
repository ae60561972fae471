// SPDX-License-Identifier: GPL-2.0
/* Disks and block majors.  A disk is a gendisk + its request_queue + its
 * whole-device block_device (part0), made together and freed by put_disk.
 * Added disks are listed so that the host side (fuse_nodes) can find the
 * device nodes to show (umc_disk_get). */
#include <linux/blkdev.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/mutex.h>
#include <linux/printk.h>

struct umc_disk_node {
	struct list_head list;
	struct gendisk *disk;
};

static LIST_HEAD(live_disks);
static DEFINE_MUTEX(disks_lock);

struct major_name {
	struct list_head list;
	unsigned int major;
	char name[16];
};
static LIST_HEAD(majors);

struct gendisk *__blk_alloc_disk(int node, struct lock_class_key *lkclass)
{
	struct gendisk *disk = kzalloc(sizeof(*disk), GFP_KERNEL);
	struct request_queue *q = kzalloc(sizeof(*q), GFP_KERNEL);
	struct block_device *part0 = kzalloc(sizeof(*part0), GFP_KERNEL);

	if (!disk || !q || !part0) {
		kfree(disk);
		kfree(q);
		kfree(part0);
		return NULL;
	}
	blk_set_default_limits(&q->limits);
	mutex_init(&q->sysfs_lock);
	q->disk = disk;
	part0->bd_disk = disk;
	part0->bd_queue = q;
	disk->queue = q;
	disk->part0 = part0;
	return disk;
}

int device_add_disk(struct device *parent, struct gendisk *disk, const void *groups)
{
	struct umc_disk_node *n = kzalloc(sizeof(*n), GFP_KERNEL);

	if (!n)
		return -ENOMEM;
	disk->part0->bd_dev = MKDEV(disk->major, disk->first_minor);
	disk->dev.init_name = disk->disk_name;
	n->disk = disk;
	mutex_lock(&disks_lock);
	list_add_tail(&n->list, &live_disks);
	mutex_unlock(&disks_lock);
	return 0;
}

void del_gendisk(struct gendisk *disk)
{
	struct umc_disk_node *n, *tmp;

	mutex_lock(&disks_lock);
	list_for_each_entry_safe(n, tmp, &live_disks, list) {
		if (n->disk == disk) {
			list_del(&n->list);
			kfree(n);
		}
	}
	mutex_unlock(&disks_lock);
}

void put_disk(struct gendisk *disk)
{
	if (!disk)
		return;
	kfree(disk->part0);
	kfree(disk->queue);
	kfree(disk);
}

/* UMC: the live disk with this name, or NULL. */
struct gendisk *umc_disk_get(const char *name)
{
	struct umc_disk_node *n;
	struct gendisk *found = NULL;

	mutex_lock(&disks_lock);
	list_for_each_entry(n, &live_disks, list)
		if (!strcmp(n->disk->disk_name, name))
			found = n->disk;
	mutex_unlock(&disks_lock);
	return found;
}

void set_capacity(struct gendisk *disk, sector_t sectors)
{
	WRITE_ONCE(disk->part0->bd_nr_sectors, sectors);
}

/* Returns true when a change was announced (both sizes nonzero). */
bool set_capacity_and_notify(struct gendisk *disk, sector_t size)
{
	sector_t capacity = get_capacity(disk);

	set_capacity(disk, size);
	if (size == capacity || (disk->flags & GENHD_FL_HIDDEN))
		return false;
	pr_info("%s: detected capacity change from %lld to %lld\n", disk->disk_name, (long long)capacity,
		(long long)size);
	return capacity && size;
}

void set_disk_ro(struct gendisk *disk, bool read_only)
{
	WRITE_ONCE(disk->part0->bd_read_only, read_only);
}

void disk_update_readahead(struct gendisk *disk)
{
}

int bd_link_disk_holder(struct block_device *bdev, struct gendisk *disk)
{
	return 0;
}

void bd_unlink_disk_holder(struct block_device *bdev, struct gendisk *disk)
{
}

/* Registers @name for @major (0: pick a free dynamic major, returned). */
int __register_blkdev(unsigned int major, const char *name, void (*probe)(dev_t devt))
{
	struct major_name *m, *p;
	int ret = 0;

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	mutex_lock(&disks_lock);
	if (major == 0) {
		for (major = 254; major >= 234; major--) {
			bool used = false;
			list_for_each_entry(p, &majors, list)
				used |= p->major == major;
			if (!used)
				break;
		}
		if (major < 234) {
			ret = -EBUSY;
			goto out;
		}
		ret = major;
	} else {
		list_for_each_entry(p, &majors, list)
			if (p->major == major) {
				ret = -EBUSY;
				goto out;
			}
	}
	m->major = major;
	strscpy(m->name, name, sizeof(m->name));
	list_add_tail(&m->list, &majors);
	m = NULL;
out:
	mutex_unlock(&disks_lock);
	kfree(m);
	return ret;
}

void unregister_blkdev(unsigned int major, const char *name)
{
	struct major_name *p, *tmp;

	mutex_lock(&disks_lock);
	list_for_each_entry_safe(p, tmp, &majors, list) {
		if (p->major == major && !strcmp(p->name, name)) {
			list_del(&p->list);
			kfree(p);
		}
	}
	mutex_unlock(&disks_lock);
}

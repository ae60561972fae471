// SPDX-License-Identifier: GPL-2.0
/* Disks and block majors.  A disk is a gendisk + its request_queue + its
 * whole-device block_device (part0), made together (struct umc_disk,
 * disk.h) and freed when the module's put_disk and every host handle are
 * gone.  Added disks are listed, and the host program's listener is told
 * (umc/kernel_host.h), so that it can show their device nodes; the host
 * calls into them through hostdisk.c. */
#include <linux/blkdev.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <umc/kernel_private.h>
#include <umc/disk.h>

static LIST_HEAD(live_disks);
static DEFINE_MUTEX(disks_lock);

/* The host's listener, copied in; held across its callbacks so that
 * removing it waits for a callback in progress. */
static DEFINE_MUTEX(listener_lock);
static struct umc_disk_listener listener;

struct major_name {
	struct list_head list;
	unsigned int major;
	char name[16];
};
static LIST_HEAD(majors);

struct gendisk *__blk_alloc_disk(int node, struct lock_class_key *lkclass)
{
	struct umc_disk *d = kzalloc(sizeof(*d), GFP_KERNEL);

	if (!d)
		return NULL;
	blk_set_default_limits(&d->queue.limits);
	mutex_init(&d->queue.sysfs_lock);
	d->queue.disk = &d->disk;
	d->part0.bd_disk = &d->disk;
	d->part0.bd_queue = &d->queue;
	d->disk.queue = &d->queue;
	d->disk.part0 = &d->part0;
	kref_init(&d->ref);
	INIT_LIST_HEAD(&d->node);
	spin_lock_init(&d->lock);
	init_waitqueue_head(&d->idle);
	return &d->disk;
}

void umc_disk_set_listener(const struct umc_disk_listener *l)
{
	mutex_lock(&listener_lock);
	if (l)
		listener = *l;
	else
		memset(&listener, 0, sizeof(listener));
	mutex_unlock(&listener_lock);
}

int device_add_disk(struct device *parent, struct gendisk *disk, const void *groups)
{
	struct umc_disk *d = umc_disk_of(disk);

	disk->part0->bd_dev = MKDEV(disk->major, disk->first_minor);
	disk->dev.init_name = disk->disk_name;
	mutex_lock(&disks_lock);
	if (WARN_ON(d->listed)) {
		mutex_unlock(&disks_lock);
		return -EBUSY;
	}
	list_add_tail(&d->node, &live_disks);
	d->listed = true;
	mutex_unlock(&disks_lock);

	mutex_lock(&listener_lock);
	if (listener.added)
		listener.added(listener.ctx, disk->disk_name, disk->major, disk->first_minor);
	mutex_unlock(&listener_lock);
	return 0;
}

static bool disk_idle(struct umc_disk *d)
{
	bool idle;

	spin_lock(&d->lock);
	idle = !d->calls;
	spin_unlock(&d->lock);
	return idle;
}

/* Delists the disk, marks it dead (host calls fail from now on), waits for
 * the host calls already inside its fops to return -- as the kernel's
 * del_gendisk drains the queue -- and then tells the listener.  After it
 * returns the module may free what the fops use (DRBD frees the
 * drbd_device right after). */
void del_gendisk(struct gendisk *disk)
{
	struct umc_disk *d = umc_disk_of(disk);
	bool was_listed;

	mutex_lock(&disks_lock);
	was_listed = d->listed;
	if (was_listed) {
		list_del_init(&d->node);
		d->listed = false;
	}
	mutex_unlock(&disks_lock);

	spin_lock(&d->lock);
	d->dead = true;
	spin_unlock(&d->lock);
	wait_event(d->idle, disk_idle(d));

	if (WARN_ON(!was_listed))
		return;
	mutex_lock(&listener_lock);
	if (listener.removed)
		listener.removed(listener.ctx, disk->disk_name);
	mutex_unlock(&listener_lock);
}

bool disk_live(struct gendisk *disk)
{
	struct umc_disk *d = umc_disk_of(disk);
	bool live;

	spin_lock(&d->lock);
	live = !d->dead;
	spin_unlock(&d->lock);
	return live;
}

bool umc_disk_enter(struct umc_disk *d)
{
	bool ok;

	spin_lock(&d->lock);
	ok = !d->dead;
	if (ok)
		d->calls++;
	spin_unlock(&d->lock);
	return ok;
}

void umc_disk_leave(struct umc_disk *d)
{
	bool wake;

	spin_lock(&d->lock);
	wake = !--d->calls && d->dead;
	spin_unlock(&d->lock);
	/* The caller's handle keeps d alive even if del_gendisk returned and
	 * the module put the disk in between. */
	if (wake)
		wake_up_all(&d->idle);
}

static void disk_release(struct kref *ref)
{
	struct umc_disk *d = container_of(ref, struct umc_disk, ref);

	WARN_ON(d->listed || d->calls);
	kfree(d);
}

void put_disk(struct gendisk *disk)
{
	if (disk)
		kref_put(&umc_disk_of(disk)->ref, disk_release);
}

struct umc_disk *umc_disk_lookup(const char *name)
{
	struct umc_disk *d, *found = NULL;

	mutex_lock(&disks_lock);
	list_for_each_entry(d, &live_disks, node) if (!strcmp(d->disk.disk_name, name))
	{
		kref_get(&d->ref);
		found = d;
		break;
	}
	mutex_unlock(&disks_lock);
	return found;
}

void umc_disk_put(struct umc_disk *d)
{
	if (d)
		kref_put(&d->ref, disk_release);
}

/* UMC: the live disk with this name, or NULL (no reference taken). */
struct gendisk *umc_disk_get(const char *name)
{
	struct umc_disk *d;
	struct gendisk *found = NULL;

	mutex_lock(&disks_lock);
	list_for_each_entry(d, &live_disks, node) if (!strcmp(d->disk.disk_name, name)) found = &d->disk;
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

void disk_update_readahead(struct gendisk *disk) {}

int bd_link_disk_holder(struct block_device *bdev, struct gendisk *disk)
{
	return 0;
}

void bd_unlink_disk_holder(struct block_device *bdev, struct gendisk *disk) {}

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
			list_for_each_entry(p, &majors, list) used |= p->major == major;
			if (!used)
				break;
		}
		if (major < 234) {
			ret = -EBUSY;
			goto out;
		}
		ret = major;
	} else {
		list_for_each_entry(p, &majors, list) if (p->major == major)
		{
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
	list_for_each_entry_safe(p, tmp, &majors, list)
	{
		if (p->major == major && !strcmp(p->name, name)) {
			list_del(&p->list);
			kfree(p);
		}
	}
	mutex_unlock(&disks_lock);
}

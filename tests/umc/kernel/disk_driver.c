// SPDX-License-Identifier: GPL-2.0
/* See disk_driver.h. */
#include <linux/blkdev.h>
#include "disk_driver.h"

int ksd_disk_lifecycle(void)
{
	struct gendisk *disk;
	int dyn;

	if (register_blkdev(147, "drbd") != 0)
		return 1;
	if (register_blkdev(147, "other") != -EBUSY)
		return 2;
	dyn = register_blkdev(0, "dyn");
	if (dyn < 234 || dyn > 254)
		return 3;
	disk = blk_alloc_disk(NUMA_NO_NODE);
	if (!disk || !disk->queue || disk->part0->bd_disk != disk || queue_logical_block_size(disk->queue) != 512)
		return 4;
	disk->major = 147;
	disk->first_minor = 3;
	snprintf(disk->disk_name, sizeof(disk->disk_name), "drbd%d", 3);
	if (set_capacity_and_notify(disk, 2048)) /* from 0: no announcement */
		return 5;
	if (add_disk(disk) || umc_disk_get("drbd3") != disk || disk->part0->bd_dev != MKDEV(147, 3))
		return 6;
	if (!set_capacity_and_notify(disk, 4096) || get_capacity(disk) != 4096 || bdev_nr_sectors(disk->part0) != 4096)
		return 7;
	set_disk_ro(disk, true);
	if (!get_disk_ro(disk))
		return 8;
	del_gendisk(disk);
	if (umc_disk_get("drbd3"))
		return 9;
	put_disk(disk);
	unregister_blkdev(147, "drbd");
	unregister_blkdev(dyn, "dyn");
	if (register_blkdev(147, "drbd") != 0)
		return 10;
	unregister_blkdev(147, "drbd");
	return 0;
}

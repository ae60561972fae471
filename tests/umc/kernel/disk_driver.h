/* Plain-C probes of disks: majors, gendisks, capacity, read-only, on the
 * real umc runtime, for disk_test.cpp. */
#ifndef TESTS_UMC_KERNEL_DISK_DRIVER_H
#define TESTS_UMC_KERNEL_DISK_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* Disks: register_blkdev, blk_alloc_disk, add/del, capacity, ro. 0 = ok. */
int ksd_disk_lifecycle(void);

#ifdef __cplusplus
}
#endif
#endif

/* Plain-C probes of the block path: splitting, accounting, discard and
 * zeroout, on the real umc runtime, for block_test.cpp. */
#ifndef TESTS_UMC_KERNEL_BLOCK_DRIVER_H
#define TESTS_UMC_KERNEL_BLOCK_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* The block path on a fake backing device that records and completes
 * bios: bio_split_to_limits + resubmission, submit accounting,
 * blkdev_issue_discard splitting, blkdev_issue_zeroout fallback to writes.
 * 0 = ok, else the failing step. */
int ksd_block_path(void);

#ifdef __cplusplus
}
#endif
#endif

/* Plain-C probes of queue limits (block/blk-settings.c) and block status
 * codes, over the stand-in walls (helpers.hpp), for queue_limits_test.cpp. */
#ifndef TESTS_UMC_KERNEL_QUEUE_LIMITS_DRIVER_H
#define TESTS_UMC_KERNEL_QUEUE_LIMITS_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* blk-settings.c: a device's limits (unset fields keep the defaults of
 * blk_set_default_limits) stacked onto a stacking driver's limits. */
struct kd_limits {
	unsigned lbs, pbs, io_min, io_opt, alignment_offset;
	unsigned max_hw_sectors, max_sectors, max_segments;
	unsigned max_discard_sectors, discard_granularity, max_write_zeroes_sectors;
	int misaligned;
};
/* Stacks bottoms[0..n) (at start sector `start`) onto blk_set_stacking_limits;
 * returns the OR of blk_stack_limits' results and fills *top. */
int kd_stack_limits(const struct kd_limits *bottoms, int n, unsigned long long start, struct kd_limits *top);
int kd_blk_status_to_errno(int status);
int kd_errno_to_blk_status(int err);

#ifdef __cplusplus
}
#endif
#endif

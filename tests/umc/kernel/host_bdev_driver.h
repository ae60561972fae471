/* Plain-C probes of host-served backing devices (umc_bdev_register): opens,
 * claims, I/O and merging, on the real umc runtime, for host_bdev_test.cpp. */
#ifndef TESTS_UMC_KERNEL_HOST_BDEV_DRIVER_H
#define TESTS_UMC_KERNEL_HOST_BDEV_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* A host-served backing device (umc_bdev_register) backed by a RAM
 * buffer in the driver: exclusive opens, limits from the geometry, a write
 * then a read through submit_bio_wait, flush/FUA translation, unregister
 * refused while open.  0 = ok, else the failing step. */
int ksd_host_bdev(void);

/* umc_bdev_claimed follows exclusive opens (the same holder may claim
 * twice; the claim goes with the last exclusive put) and umc_bdev_set_size
 * changes what an opener sees in bdev_nr_sectors.  0 = ok, else the
 * failing step. */
int ksd_host_bdev_claims(void);

/* Plugged submission to a host disk: held until the plug finishes, then
 * adjacent plain reads/writes go to the host merged (bounded by
 * max_io_bytes); FUA and unplugged bios are not held; an error of a merged
 * request reaches each of its bios; umc_plug_start/finish bracket a host
 * thread the same way.  0 = ok, else the failing step. */
int ksd_host_bdev_plug_merge(void);

#ifdef __cplusplus
}
#endif
#endif

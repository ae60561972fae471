/* Plain-C probes of a driver's disk as the host program uses it
 * (umc_disk_*), on the real umc runtime, for host_disk_test.cpp. */
#ifndef TESTS_UMC_KERNEL_HOST_DISK_DRIVER_H
#define TESTS_UMC_KERNEL_HOST_DISK_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* A fake driver's disk as the host uses it: the listener hears the add,
 * umc_disk_lookup/info/open/release, and requests as bios (host iovecs as
 * multi-page bio_vecs over transient page descriptors, split by the
 * driver, one completion; op and flag mapping; errors; refusals before the
 * driver).  0 = ok, else the failing step. */
int ksd_host_disk_io(void);

/* del_gendisk while a host thread is inside ->open: new calls fail with
 * -ENXIO at once, del_gendisk waits for the open to return before telling
 * the listener; the held handle outlives put_disk, reports live=false,
 * fails open and I/O with -ENXIO, a release does not reach the driver,
 * and the last umc_disk_put frees.  0 = ok, else the failing step. */
int ksd_host_disk_delete(void);

#ifdef __cplusplus
}
#endif
#endif

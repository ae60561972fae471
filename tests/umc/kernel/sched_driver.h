/* Plain-C probes of the kernel side's task-level code (kthreads, wait
 * queues, completions, locks, pages) running on the real umc runtime. */
#ifndef TESTS_UMC_KERNEL_SCHED_DRIVER_H
#define TESTS_UMC_KERNEL_SCHED_DRIVER_H
#include <umc/kernel_host.h>

#ifdef __cplusplus
extern "C" {
#endif

/* umc_kernel_prepare, umc_module_init ...: the host interface. */

/* A kthread that signals it ran, then sleeps until kthread_stop and
 * returns 42.  Returns: 1 if it had not run before wake_up_process, 2 if it
 * ran after it, 4 if kthread_stop returned 42, 8 if its comm is the
 * formatted name. */
int ksd_kthread_lifecycle(void);
/* wait_event(): a kthread waits for a flag set by the caller. 0 = ok. */
int ksd_wait_event_wakes_waiter(void);
/* wait_event_interruptible() in a kthread that allowed SIGHUP returns
 * -ERESTARTSYS when sent SIGHUP (the condition stays false). */
int ksd_wait_event_interrupted_by_signal(void);
/* wait_for_completion_interruptible_timeout: returns what it returned for
 * (a) nothing completed within 20 jiffies, (b) completed beforehand. */
long ksd_completion_timeout(void);
long ksd_completion_done_before(void);
/* complete_all releases n waiting kthreads; returns how many finished. */
int ksd_complete_all_releases(int n);
/* n kthreads add 1 `iterations` times each under a mutex / spinlock. */
long ksd_mutex_counter(int n, int iterations);
long ksd_spinlock_counter(int n, int iterations);
/* alloc_pages(order) gives 2^order contiguous mapped pages, virt_to_page
 * maps back, put_page frees. 0 = ok. */
int ksd_pages(unsigned order);

/* bio core: returns 0 when every step matched, else the failing step. */
int ksd_bio_alloc_add_iterate_clone(void);
/* A parent with two chained children: returns the number of times the
 * parent's bi_end_io ran, times 10, plus its final bi_status. */
int ksd_bio_chain_completion(void);
/* Plugging: 0 when blk_check_plugged dedups, finish runs the callback
 * once (from_schedule false) and a sleep while plugged runs it with
 * from_schedule true. */
int ksd_plug_callbacks(void);

/* Disks: register_blkdev, blk_alloc_disk, add/del, capacity, ro. 0 = ok. */
int ksd_disk_lifecycle(void);

/* Kernel sockets over loopback, the way DRBD uses them: a listener whose
 * sk_state_change (swapped under sk_callback_lock) rings a door bell,
 * connect, kernel_accept, send/recv with MSG_WAITALL, sk_rcvtimeo expiry,
 * shutdown.  0 = ok, else the failing step. */
int ksd_socket_loopback(void);

/* The block path on a fake backing device that records and completes
 * bios: bio_split_to_limits + resubmission, submit accounting,
 * blkdev_issue_discard splitting, blkdev_issue_zeroout fallback to writes.
 * 0 = ok, else the failing step. */
int ksd_block_path(void);

/* Generic netlink core with a test family ("ksdtest", version 3, hdrsize
 * 4, one "events" group): GETFAMILY, doit with attributes, dump in two
 * batches + NLMSG_DONE, unknown command, missing permission, multicast.
 * 0 = ok, else the failing step. */
int ksd_genl_family(void);

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

/* Module parameters through umc_module_param_*: info, show as sysfs
 * ("Y\n", decimal, string), store as the kernel's param_set_* (bool
 * spellings, base-0 numbers, range and garbage -EINVAL, strings up to
 * maxlen - 1, charp copies, -EPERM without 0200).  0 = ok, else the
 * failing step. */
int ksd_module_params(void);

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

/* ahash by name over scatterlists (kmalloc, stack and page-frame buffers,
 * chained lists) against RFC 1321 / FIPS 180-2 / RFC 2202 / RFC 4231
 * vectors; names, -ENOENT, -ENOKEY, synchronous completion.  0 or the
 * number of the first failed check. */
int ksd_ahash_vectors(void);

#ifdef __cplusplus
}
#endif
#endif

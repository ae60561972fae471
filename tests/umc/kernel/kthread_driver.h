/* Plain-C probes of kthreads: created stopped, woken, stopped with their
 * result, on the real umc runtime, for kthread_test.cpp. */
#ifndef TESTS_UMC_KERNEL_KTHREAD_DRIVER_H
#define TESTS_UMC_KERNEL_KTHREAD_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* A kthread that signals it ran, then sleeps until kthread_stop and
 * returns 42.  Returns: 1 if it had not run before wake_up_process, 2 if it
 * ran after it, 4 if kthread_stop returned 42, 8 if its comm is the
 * formatted name. */
int ksd_kthread_lifecycle(void);

#ifdef __KERNEL__
/* For the other drivers' kthreads: the test will kthread_stop() them, so
 * they wait here, and the test ends only after every thread it made has
 * exited. */
void park_until_stopped(void);
#endif

#ifdef __cplusplus
}
#endif
#endif

/* Plain-C probes of completions: timeouts, complete_all, on the real umc
 * runtime, for completion_test.cpp. */
#ifndef TESTS_UMC_KERNEL_COMPLETION_DRIVER_H
#define TESTS_UMC_KERNEL_COMPLETION_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* wait_for_completion_interruptible_timeout: returns what it returned for
 * (a) nothing completed within 20 jiffies, (b) completed beforehand. */
long ksd_completion_timeout(void);
long ksd_completion_done_before(void);

/* complete_all releases n waiting kthreads; returns how many finished. */
int ksd_complete_all_releases(int n);

#ifdef __cplusplus
}
#endif
#endif

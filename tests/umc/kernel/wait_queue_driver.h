/* Plain-C probes of wait queues: wait_event and its interruptible form, on
 * the real umc runtime, for wait_queue_test.cpp. */
#ifndef TESTS_UMC_KERNEL_WAIT_QUEUE_DRIVER_H
#define TESTS_UMC_KERNEL_WAIT_QUEUE_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* wait_event(): a kthread waits for a flag set by the caller. 0 = ok. */
int ksd_wait_event_wakes_waiter(void);

/* wait_event_interruptible() in a kthread that allowed SIGHUP returns
 * -ERESTARTSYS when sent SIGHUP (the condition stays false). */
int ksd_wait_event_interrupted_by_signal(void);

#ifdef __cplusplus
}
#endif
#endif

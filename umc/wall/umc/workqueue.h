/*
 * umc/workqueue.h - workqueues.
 *
 * The kernel side owns struct work_struct (func, entry, data); the runtime
 * keys its bookkeeping by the work's address and forgets it once the work
 * function has started, so a work function may free its own work item.
 * A work item is pending on at most one workqueue at a time (queueing a
 * pending item returns false), and never runs concurrently with itself.
 *
 * Workers are kthreads ("kworker/<wq name>") with `current`, registered with
 * RCU; they ignore signals.  An ordered workqueue (UMC_WQ_ORDERED, and
 * max_active 1) runs one item at a time in queueing order.
 *
 * Delayed work is the kernel side's: a timer (umc/timer.h) whose callback
 * queues the work; cancel = umc_timer_del_sync + umc_work_cancel_sync.
 */
#ifndef UMC_WALL_WORKQUEUE_H
#define UMC_WALL_WORKQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct umc_workqueue;
typedef void (*umc_work_fn)(void *work);

#define UMC_WQ_ORDERED 0x1u

/* alloc_workqueue(): `name` is the formatted name; max_active 0 picks the
 * default (4 workers), 1 or UMC_WQ_ORDERED make it ordered.  NULL on
 * failure.  Process context. */
struct umc_workqueue *umc_wq_create(const char *name, unsigned int flags, int max_active);

/* The kernel's system_wq ("events"): made by umc_runtime_init, drained and
 * destroyed by umc_runtime_exit.  Any context while the runtime runs. */
struct umc_workqueue *umc_wq_system(void);

/* destroy_workqueue(): run everything still queued (including work queued
 * meanwhile by the items themselves), then stop the workers and free. */
void umc_wq_destroy(struct umc_workqueue *wq);

/* queue_work(): true if queued, false if `work` was already pending
 * (anywhere).  Any context. */
bool umc_wq_queue(struct umc_workqueue *wq, void *work, umc_work_fn fn);

/* flush_workqueue(): wait until every item queued before the call has
 * finished.  Not from a worker of the same queue. */
void umc_wq_flush(struct umc_workqueue *wq);

/* work_pending(). */
bool umc_work_pending(const void *work);

/* cancel_work_sync(): unqueue if pending, then wait for a running instance
 * to finish.  Returns true if it was pending. */
bool umc_work_cancel_sync(void *work);
/* cancel_work(): unqueue only. */
bool umc_work_cancel(void *work);

/* flush_work(): wait for the pending or running instance to finish;
 * true if it waited for something. */
bool umc_work_flush(void *work);

#ifdef __cplusplus
}
#endif

#endif /* UMC_WALL_WORKQUEUE_H */

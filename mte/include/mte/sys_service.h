/*
 * sys_service.h - the whole contract between mte (the multithreaded event
 * engine) and everything built on it.
 *
 * mte provides one versioned table of function pointers, `struct sys_service`.
 * Layers above (umc, the block backends, the daemon) reach the host only
 * through it: memory, time, threads, per-thread data, event tasks (a loop per
 * thread with fd polling, alarms and scheduled callbacks), logging, and fatal
 * errors.  The header is plain C and includes nothing but <stddef.h> and
 * <stdint.h>, so it can sit below a freestanding Linux header tree.
 *
 * Versioning
 *   SYS_SERVICE_VERSION is bumped whenever a member changes meaning or
 *   position.  Members are only ever appended, taking one of the reserved
 *   slots; a client compiled against version N accepts a table whose
 *   `version` is N and whose `size` is at least its own sizeof.
 *   sys_service_open() refuses a client version it does not implement.
 *   docs/sys_service.md explains the contract at more length.
 *
 * Calling contexts used below
 *   any thread    - may be called from any thread, including threads mte did
 *                   not create and callbacks running on an event task.
 *   task thread   - the thread that runs a given event task's loop; every
 *                   callback registered on a task runs there, one at a time.
 *   not in cb     - must not be called from a callback of the object it names
 *                   unless the member says what happens then.
 *
 * Errors: members returning int return 0 or a negative errno value.
 *
 * Ownership: every handle returned by a *_create member belongs to the caller
 * until the matching *_destroy.  Handles are opaque.
 */
#ifndef MTE_SYS_SERVICE_H
#define MTE_SYS_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SYS_SERVICE_VERSION 1u

/* Opaque handles. */
typedef struct sys_thread sys_thread_t;     /* a host thread                     */
typedef struct sys_task sys_task_t;         /* an event task: loop + its thread  */
typedef struct sys_fd_watch sys_fd_watch_t; /* readiness interest in one fd    */
typedef struct sys_alarm sys_alarm_t;       /* a re-armable one-shot alarm       */
typedef struct sys_call sys_call_t;         /* a re-postable scheduled callback  */
typedef uint32_t sys_tls_key_t;             /* per-thread data slot              */

/* Readiness bits for fd watches (same values as POLLIN/POLLOUT/POLLERR/POLLHUP). */
#define SYS_FD_IN  0x001u
#define SYS_FD_OUT 0x004u
#define SYS_FD_ERR 0x008u /* reported, never requested */
#define SYS_FD_HUP 0x010u /* reported, never requested */

/* Callback priorities: NORMAL callbacks all run before any LOW one that is
 * pending at the same time; each priority is FIFO. */
#define SYS_PRIO_NORMAL 0
#define SYS_PRIO_LOW    1

/* Log levels (spdlog's order). */
#define SYS_LOG_TRACE    0
#define SYS_LOG_DEBUG    1
#define SYS_LOG_INFO     2
#define SYS_LOG_WARN     3
#define SYS_LOG_ERROR    4
#define SYS_LOG_CRITICAL 5
#define SYS_LOG_OFF      6

typedef void *(*sys_thread_fn)(void *arg);
typedef void (*sys_fd_cb)(void *arg, int fd, uint32_t revents);
typedef void (*sys_alarm_cb)(void *arg);
typedef void (*sys_call_cb)(void *arg);
typedef void (*sys_tls_dtor)(void *value);

struct sys_service {
	/* SYS_SERVICE_VERSION of the implementation, and sizeof(struct sys_service). */
	uint32_t version;
	uint32_t size;

	/* ---- memory ---------------------------------------------------------
	 * Every block carries its caller ("file:line", a string with static
	 * storage duration) for the leak report that sys_service_close() prints.
	 * Blocks are at least 16-byte aligned; `align` (a power of two, or 0 for
	 * the default) asks for more.  Calling context: any thread; never sleeps
	 * beyond the host allocator's own locks.                                */

	/* Allocate `size` bytes (uninitialised).  NULL when out of memory or
	 * when `align` is not 0 or a power of two (at most 1 GiB).  size 0
	 * returns a unique pointer that must still be freed.                   */
	void *(*mem_alloc)(size_t size, size_t align, const char *caller);
	/* As mem_alloc, zero-filled.                                            */
	void *(*mem_zalloc)(size_t size, size_t align, const char *caller);
	/* Resize; keeps the block's original alignment and contents up to the
	 * smaller size.  ptr NULL acts as mem_alloc.  On failure returns NULL and
	 * leaves ptr valid.  The caller attribution moves to `caller`.         */
	void *(*mem_realloc)(void *ptr, size_t size, const char *caller);
	/* Free a block from this table's allocators.  NULL is ignored.  A block
	 * may be freed on any thread, also after sys_service_close() (it then
	 * no longer counts anywhere).  Freeing anything else is fatal().       */
	void (*mem_free)(void *ptr);
	/* The usable size of a live block: the size last asked for.          */
	size_t (*mem_size)(const void *ptr);

	/* ---- time --------------------------------------------------------------
	 * Calling context: any thread.                                         */

	/* Monotonic clock in ns (CLOCK_MONOTONIC); never goes backwards.      */
	uint64_t (*time_mono_ns)(void);
	/* Wall clock in ns since the Unix epoch (CLOCK_REALTIME).             */
	uint64_t (*time_wall_ns)(void);

	/* ---- threads -----------------------------------------------------------
	 * Plain host threads (umc builds kernel threads on them).  Calling
	 * context: any thread.                                                 */

	/* Start `fn(arg)` on a new joinable thread named `name` (the first 15
	 * bytes become the OS thread name).  Every thread started here must be
	 * joined with thread_join.                                             */
	int (*thread_create)(sys_thread_t **out, const char *name, sys_thread_fn fn, void *arg);
	/* Wait for the thread to return, free its handle and hand back fn's
	 * return value through `result` (may be NULL).  -EDEADLK when a thread
	 * joins itself.                                                         */
	int (*thread_join)(sys_thread_t *thread, void **result);
	/* The calling thread's handle, or NULL for a thread mte did not start.
	 * Event task threads are mte threads: they have a handle, named after
	 * the task (but only task_destroy may end them).                       */
	sys_thread_t *(*thread_self)(void);
	/* The name given at thread_create (a task's name for a task thread);
	 * `thread` is a handle from thread_create or thread_self.              */
	const char *(*thread_name)(const sys_thread_t *thread);

	/* Per-thread data.  A slot reads NULL in every thread until set.  When
	 * a thread ends, `dtor` (may be NULL) runs for each of its non-NULL
	 * values.  Calling context: any thread.                                 */
	int (*tls_create)(sys_tls_key_t *key, sys_tls_dtor dtor);
	/* Release the slot; no destructors run.  Not while other threads still
	 * use it.                                                               */
	void (*tls_destroy)(sys_tls_key_t key);
	void *(*tls_get)(sys_tls_key_t key);
	int (*tls_set)(sys_tls_key_t key, void *value);

	/* ---- event tasks -------------------------------------------------------
	 * An event task is a loop owned by one thread of its own.  All of its
	 * callbacks (fd, alarm, call, wake) run on that thread, one at a time,
	 * never concurrently with each other.  No busy-waiting: an idle task
	 * sleeps in the kernel until it has work.                              */

	/* Create a task and start its thread.  `wake_cb(wake_arg)` (may be
	 * NULL) is what task_wake runs.  *out is set before the task thread
	 * starts, so callbacks may read the handle from there.                 */
	int (*task_create)(sys_task_t **out, const char *name, sys_call_cb wake_cb, void *wake_arg);
	/* Stop the task: callbacks that have not started are dropped, never run;
	 * a running callback finishes first; then the thread is joined.  Watches,
	 * alarms and calls on the task stay valid handles but become inert (arm
	 * and post return -ESHUTDOWN, cancel returns 0) until their owners
	 * destroy them; their callbacks never run again.  The task handle itself
	 * is invalid afterwards.  Calling context: any thread except the task's
	 * own (there it is fatal(): it would have to join itself).             */
	void (*task_destroy)(sys_task_t *task);
	/* The task whose thread is calling, or NULL.                           */
	sys_task_t *(*task_current)(void);
	/* Ask the task to run its wake_cb soon.  Wakes that arrive before the
	 * callback starts coalesce into one run; a wake that arrives while it
	 * runs causes one more run (so a wake_cb may wake its own task).
	 * Calling context: any thread, including callbacks on any task (also
	 * the woken one); not from signal handlers; not after task_destroy.    */
	void (*task_wake)(sys_task_t *task);

	/* fd readiness.  Level-triggered: while the watch is enabled and the fd
	 * is ready for something in `events`, cb(arg, fd, revents) keeps being
	 * called on the task thread (revents: the ready bits of `events`, plus
	 * SYS_FD_ERR/SYS_FD_HUP, which are always reported).  `events` is a mix
	 * of SYS_FD_IN and SYS_FD_OUT, or 0 to create it paused.  The fd stays
	 * owned by the caller; several watches may share one fd.  The first
	 * callback may come before this returns, but never before *out is set.
	 * -EINVAL for other event bits, -EBADF for a bad fd, -ESHUTDOWN after
	 * task_destroy.  Any thread.                                           */
	int (*fd_watch_create)(sys_fd_watch_t **out, sys_task_t *task, int fd, uint32_t events, sys_fd_cb cb,
			       void *arg);
	/* Change the interest set; 0 pauses the watch.  Any thread, including
	 * the watch's own callback.  -EINVAL for bits other than SYS_FD_IN and
	 * SYS_FD_OUT, -ESHUTDOWN after task_destroy.                            */
	int (*fd_watch_modify)(sys_fd_watch_t *watch, uint32_t events);
	/* Remove the watch.  On return the callback is not running and will
	 * never run again, even if readiness was already queued -- except when
	 * called from the watch's own callback, where it returns at once and the
	 * callback must not touch the watch afterwards.  Close the fd only after
	 * this returns.                                                        */
	void (*fd_watch_destroy)(sys_fd_watch_t *watch);

	/* One-shot alarms at an absolute CLOCK_MONOTONIC time in ns.  Alarms
	 * due at the same task fire in deadline order (ties: arming order).   */
	int (*alarm_create)(sys_alarm_t **out, sys_task_t *task, sys_alarm_cb cb, void *arg);
	/* (Re)arm for `deadline_ns`; a deadline in the past fires promptly.  An
	 * alarm that is already pending moves to the new deadline.  Returns 1 if
	 * it was pending, 0 if not, -ESHUTDOWN after task_destroy.  Any thread,
	 * including its own callback.                                          */
	int (*alarm_arm)(sys_alarm_t *alarm, uint64_t deadline_ns);
	/* Disarm.  Returns 1 if the alarm was pending (so its callback will not
	 * run for that arming), 0 if not.  On return the callback is not running
	 * -- it waits for an in-flight callback on another thread -- and the
	 * alarm is not pending, even if that callback re-armed it; except when
	 * called from the alarm's own callback, where it returns without
	 * waiting.  Do not cancel from a callback that the alarm's own callback
	 * might be waiting for (as with del_timer_sync, that deadlocks).       */
	int (*alarm_cancel)(sys_alarm_t *alarm);
	/* Cancel (with the same waiting rule) and free.                        */
	void (*alarm_destroy)(sys_alarm_t *alarm);

	/* Scheduled callbacks.  A call object is posted, runs once, and may be
	 * posted again (like a kernel work item).  `prio` is SYS_PRIO_NORMAL or
	 * SYS_PRIO_LOW (else -EINVAL).                                          */
	int (*call_create)(sys_call_t **out, sys_task_t *task, int prio, sys_call_cb cb, void *arg);
	/* Queue the call.  Returns 1 if queued now, 0 if it was already queued
	 * (not queued twice), -ESHUTDOWN after task_destroy.  A call may be
	 * posted from its own running callback; it then runs once more.  Any
	 * thread.                                                              */
	int (*call_post)(sys_call_t *call);
	/* Unqueue.  Returns 1 if it was queued and now will not run, 0 if not.
	 * On return the callback is not running and the call is not queued
	 * (even if its running callback re-posted it), with the same exception
	 * for the call's own callback as alarm_cancel.                         */
	int (*call_cancel)(sys_call_t *call);
	/* Cancel (same rule) and free.                                         */
	void (*call_destroy)(sys_call_t *call);
	/* Fire-and-forget: run cb(arg) once on the task.  -ESHUTDOWN after
	 * task_destroy, -ENOMEM.  Any thread.                                   */
	int (*task_post)(sys_task_t *task, int prio, sys_call_cb cb, void *arg);

	/* ---- logging and fatal errors -------------------------------------------
	 * Calling context: any thread.                                         */

	/* Write one message of `len` bytes (need not be NUL-terminated; one
	 * trailing newline is dropped) at `level`, tagged with `component`
	 * (e.g. "mte", "umc", "drbd").  Thread-safe and ordered per thread.    */
	void (*log_write)(int level, const char *component, const char *msg, size_t len);
	/* Nonzero when a message at `level` would be written: lets callers skip
	 * formatting.                                                          */
	int (*log_enabled)(int level);
	/* Set the lowest level written.                                        */
	void (*log_set_level)(int level);
	/* Write the calling thread's stack to the log at SYS_LOG_ERROR.        */
	void (*backtrace)(void);
	/* Log `msg` with `where` ("file:line") at SYS_LOG_CRITICAL, write a
	 * backtrace, flush the log and abort().  Never returns.                */
	void (*fatal)(const char *where, const char *msg) __attribute__((noreturn));

	/* Members of future versions take these slots; they are NULL now.     */
	void (*reserved[24])(void);
};

/* Options for sys_service_open(); zero-initialise and set what you need.   */
struct sys_service_params {
	/* Lowest log level written; 0 (TRACE) ... 6 (OFF).  -1: take the
	 * MTE_LOG_LEVEL environment variable (trace|debug|info|warn|error|
	 * critical|off), else INFO.                                             */
	int log_level;
	/* Log file path, or NULL for stderr.                                  */
	const char *log_path;
	/* Nonzero: catch SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGABRT, log a
	 * backtrace and re-raise.  Leave 0 under sanitizers, which have their
	 * own handlers.                                                        */
	int catch_fatal_signals;
	/* Where the leak report of sys_service_close() goes: < 0 don't print,
	 * 0 log at WARN when something leaked, > 0 log always.                 */
	int leak_report;
};

/* What sys_service_close() found still allocated.                          */
struct sys_service_leaks {
	uint64_t blocks; /* live blocks from mem_* */
	uint64_t bytes;  /* their requested bytes  */
};

/* Bring mte up and return its table, or NULL with *err set (-EPROTO when
 * `client_version` is not one this mte implements; -EALREADY when already
 * open).  Call once per process, before any other thread uses the table.   */
const struct sys_service *sys_service_open(uint32_t client_version, const struct sys_service_params *params, int *err);

/* Shut down: every remaining task is destroyed (as by task_destroy), the
 * leak report (count, bytes and the top callers by bytes; see
 * docs/sys_service.md) is written, and the log is flushed.  Fills *leaks
 * when not NULL.  Handles of alarms, calls and watches may still be
 * destroyed afterwards, and blocks freed.  Not from a task thread.  mte
 * may be opened again after this.                                          */
void sys_service_close(struct sys_service_leaks *leaks);

/* The table sys_service_open() returned, or NULL while mte is not open: for
 * layers that need a global accessor instead of passing the table around.
 * Any thread; the pointer stays valid until sys_service_close().           */
const struct sys_service *sys_service_get(void);

#ifdef __cplusplus
}
#endif

#endif /* MTE_SYS_SERVICE_H */

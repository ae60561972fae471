/*
 * umc/runtime.h - boot, shutdown and small host services of the umc runtime.
 *
 * Part of the wall between the kernel-side C (compiled against umc/include)
 * and the C++ runtime (umc/src).  Plain C; includes only <stddef.h>,
 * <stdint.h> and <stdbool.h>.  See umc/wall/README.md for the rules.
 *
 * Errors: functions returning int return 0 or a negative errno value
 * (Linux numbering, which is the host's on x86-64).
 */
#ifndef UMC_WALL_RUNTIME_H
#define UMC_WALL_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sys_service; /* mte/sys_service.h */

/* Options for umc_runtime_init(); zero-initialise and set what you need. */
struct umc_boot_params {
	/* Jiffies at boot.  When false, the runtime starts at UMC_INITIAL_JIFFIES
	 * (umc/time.h): 300 s before the 32-bit wrap, as the kernel does. */
	bool set_initial_jiffies;
	unsigned long initial_jiffies;
	/* Number of CPUs reported to the kernel side (nr_cpu_ids); 0: the
	 * host's online CPU count. */
	unsigned int nr_cpus;
};

/* Bring the runtime up on an open sys_service table (the program called
 * sys_service_open(); the table must outlive umc_runtime_exit()).  Starts
 * the softirq event task (timers), the RCU callback thread and attaches
 * the calling thread as a task.  -EALREADY when already running, -EPROTO
 * when the table's version is not the one umc was built against.
 * Calling context: any thread that is not a umc task; once per boot. */
int umc_runtime_init(const struct sys_service *sys, const struct umc_boot_params *params);

/* Shut down: waits for pending RCU callbacks, stops the softirq task and
 * reaps exited kthreads.  Kernel threads, workqueues and timers that the
 * kernel side left behind are reported as errors (they are its bugs).
 * After this, umc_runtime_init() may be called again.
 * Calling context: the thread that called umc_runtime_init(). */
void umc_runtime_exit(void);

/* True between umc_runtime_init() and umc_runtime_exit(). */
bool umc_runtime_running(void);

/* The table given to umc_runtime_init() (for C++ layers above umc that
 * share it).  Any thread. */
const struct sys_service *umc_sys_service(void);

/* ---- small host services ----------------------------------------------- */

/* Number of CPUs the kernel side should assume (nr_cpu_ids). Any thread. */
unsigned int umc_nr_cpus(void);

/* Fill `buf` with cryptographically strong random bytes (getrandom(2));
 * never fails, never returns short.  May sleep only at early boot. */
void umc_random_bytes(void *buf, size_t len);

/* Log `msg` at critical level with `where` ("file:line"), write a backtrace
 * and abort (BUG(), panic()).  Any thread. */
void umc_panic(const char *where, const char *msg) __attribute__((noreturn));

/* Write the calling thread's stack to the log (WARN_ON, dump_stack). */
void umc_dump_stack(void);

/* ---- usermode helpers (call_usermodehelper) ----------------------------- */

/* Wait modes: the kernel's UMH_* values. */
#define UMC_UMH_NO_WAIT 0x00   /* return at once (0), child reaped in background */
#define UMC_UMH_WAIT_EXEC 0x01 /* return once exec succeeded (0) or failed (-errno) */
#define UMC_UMH_WAIT_PROC 0x02 /* return the child's raw wait status */
#define UMC_UMH_KILLABLE 0x04  /* accepted and ignored (the wait is uninterruptible) */

/* Environment that every helper gets in addition to the envp it is given,
 * so that a helper (e.g. drbdadm) reaches the same daemon: LD_PRELOAD=
 * `ld_preload` and UMC_FS_ROOT=`fs_root`.  NULL or "" leaves a variable
 * out.  The strings are copied.  Any thread; may be called before
 * umc_runtime_init() and again at any time. */
void umc_usermode_helper_set_env(const char *ld_preload, const char *fs_root);

/* One more variable NAME=VALUE for every helper, replacing a NAME in the
 * envp it is given (e.g. "__DRBD_NODE__", so that drbdadm in a handler picks
 * this node's `on` section).  VALUE NULL or "" takes NAME out of the extra
 * variables again.  NAME must be non-empty and contain no '='; others are
 * ignored.  The strings are copied.  Any thread, any time. */
void umc_usermode_helper_set_var(const char *name, const char *value);

/* Run the program `path` with `argv` and `envp` (NULL-terminated; envp
 * NULL: empty) plus the variables of umc_usermode_helper_set_env() and
 * umc_usermode_helper_set_var(), via
 * posix_spawn (signal mask empty, default dispositions).  `wait` is one of
 * UMC_UMH_* (optionally | UMC_UMH_KILLABLE).  Returns: NO_WAIT: 0 (a spawn
 * failure is only logged, as the kernel does); WAIT_EXEC: 0 or -errno of
 * the exec (-ENOENT for a missing path, -EACCES, ...); WAIT_PROC: the raw
 * wait status (exit code in bits 8..15, as DRBD decodes it) or -errno when
 * the exec failed.  While waiting the calling task is UNINTERRUPTIBLE (it
 * ignores signals) and blocks only its own host thread.  Children that are
 * not waited for are reaped by the runtime.
 * Calling context: process context (may sleep). */
int umc_usermode_helper(const char *path, char *const argv[], char *const envp[], int wait);

#ifdef __cplusplus
}
#endif

#endif /* UMC_WALL_RUNTIME_H */

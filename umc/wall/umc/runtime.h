/*
 * umc/runtime.h - boot, shutdown and small host services of the umc runtime.
 *
 * Part of the wall between the kernel-side C (compiled against
 * umc/kernel/include) and the C++ runtime (umc/runtime).  Plain C; includes
 * only <stddef.h>, <stdint.h>, <stdbool.h> and the host interface.  See umc/wall/README.md for the rules.
 *
 * Errors: functions returning int return 0 or a negative errno value
 * (Linux numbering, which is the host's on x86-64).
 */
#ifndef UMC_WALL_RUNTIME_H
#define UMC_WALL_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <umc/kernel_host.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Boot and shutdown (umc_runtime_init, umc_runtime_exit, struct
 * umc_boot_params) are part of the host interface, umc/kernel_host.h. */

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
#define UMC_UMH_NO_WAIT   0x00 /* return at once (0), child reaped in background */
#define UMC_UMH_WAIT_EXEC 0x01 /* return once exec succeeded (0) or failed (-errno) */
#define UMC_UMH_WAIT_PROC 0x02 /* return the child's raw wait status */
#define UMC_UMH_KILLABLE  0x04 /* accepted and ignored (the wait is uninterruptible) */

/* umc_usermode_helper_set_env() and umc_usermode_helper_set_var(), which
 * the host program calls, are in umc/kernel_host.h. */

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

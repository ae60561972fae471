/* Memory barriers as C11 fences.  The kernel's x86 barriers are at least as
 * strong as these on real hardware; expressing them as fences keeps them
 * correct for the compiler.
 *
 * ThreadSanitizer does not model stand-alone fences (gcc refuses them under
 * -fsanitize=thread, -Wtsan), so in TSan builds every barrier is instead a
 * seq_cst read-modify-write of one process-wide word.  All barriers are then
 * totally ordered through that word and each one acquires what the earlier
 * ones released: the happens-before a pair of smp_mb()/smp_wmb()+smp_rmb()
 * gives on real hardware, expressed in a form TSan tracks.  (It can hide a
 * race only between two threads that both execute some barrier, never
 * report a false one.)  Weak, so the header needs no .c file. */
#ifndef _ASM_BARRIER_H
#define _ASM_BARRIER_H
#include <linux/compiler.h>

#ifdef __SANITIZE_THREAD__
extern unsigned long __umc_tsan_barrier_word;
unsigned long __umc_tsan_barrier_word __attribute__((weak));
#define __umc_fence() ((void)__atomic_fetch_add(&__umc_tsan_barrier_word, 0, __ATOMIC_SEQ_CST))
#define mb() __umc_fence()
#define rmb() __umc_fence()
#define wmb() __umc_fence()
#else
#define mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#endif
#define dma_rmb() rmb()
#define dma_wmb() wmb()
#define smp_mb() mb()
#define smp_rmb() rmb()
#define smp_wmb() wmb()
#define __smp_mb() mb()
#define smp_store_mb(var, value) do { __atomic_store_n(&(var), (value), __ATOMIC_SEQ_CST); } while (0)
/* Non-value-returning atomics and bitops are relaxed (see linux/atomic.h),
 * so these must be real fences. */
#define smp_mb__before_atomic() smp_mb()
#define smp_mb__after_atomic() smp_mb()
#define smp_mb__after_spinlock() smp_mb()
#define smp_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define smp_load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_acquire__after_ctrl_dep() smp_rmb()
#define virt_mb() mb()
#define cpu_relax() __builtin_ia32_pause()
#endif

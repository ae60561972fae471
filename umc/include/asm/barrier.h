/* Memory barriers as C11 fences.  The kernel's x86 barriers are at least as
 * strong as these on real hardware; expressing them as fences keeps them
 * correct for the compiler and visible to ThreadSanitizer. */
#ifndef _ASM_BARRIER_H
#define _ASM_BARRIER_H
#include <linux/compiler.h>

#define mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
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

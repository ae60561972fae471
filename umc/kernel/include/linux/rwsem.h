/* Read-write semaphores (writer-exclusive, readers share), sleeping. */
#ifndef _LINUX_RWSEM_H
#define _LINUX_RWSEM_H
#include <linux/types.h>
#include <linux/spinlock.h>
struct rw_semaphore {
	rwlock_t lock;
};
#define __RWSEM_INITIALIZER(name) { .lock = __RW_LOCK_UNLOCKED(name) }
#define DECLARE_RWSEM(name) struct rw_semaphore name = __RWSEM_INITIALIZER(name)
#define init_rwsem(sem) rwlock_init(&(sem)->lock)
static inline void down_read(struct rw_semaphore *sem) { read_lock(&sem->lock); }
static inline void up_read(struct rw_semaphore *sem) { read_unlock(&sem->lock); }
static inline void down_write(struct rw_semaphore *sem) { write_lock(&sem->lock); }
static inline void up_write(struct rw_semaphore *sem) { write_unlock(&sem->lock); }
#endif

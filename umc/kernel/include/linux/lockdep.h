#ifndef _LINUX_LOCKDEP_H
#define _LINUX_LOCKDEP_H
/* No lock validator. */
struct lock_class_key { int unused; };
#define lockdep_assert_held(l) do { (void)(l); } while (0)
#define lockdep_assert_not_held(l) do { (void)(l); } while (0)
#define lockdep_set_class(lock, key) do { (void)(key); } while (0)
#define lockdep_set_subclass(lock, sub) do { } while (0)
#define lock_is_held(l) 1
#define SINGLE_DEPTH_NESTING 1
#endif

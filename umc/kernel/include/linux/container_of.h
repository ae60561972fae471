#ifndef _LINUX_CONTAINER_OF_H
#define _LINUX_CONTAINER_OF_H

#include <linux/build_bug.h>
#include <linux/stddef.h>

/* The structure of type @type whose member @member is at @ptr.  Refuses (at
 * compile time) a @ptr whose type does not match the member's. */
#define container_of(ptr, type, member) ({                                   \
	void *__mptr = (void *)(ptr);                                        \
	static_assert(__same_type(*(ptr), ((type *)0)->member) ||            \
		      __same_type(*(ptr), void),                             \
		      "pointer type mismatch in container_of()");            \
	((type *)(__mptr - offsetof(type, member))); })

#define container_of_const(ptr, type, member) container_of(ptr, type, member)

#endif

#ifndef _KOBJECT_H_
#define _KOBJECT_H_
#include <linux/types.h>
#include <linux/kref.h>
enum kobject_action {
	KOBJ_ADD,
	KOBJ_REMOVE,
	KOBJ_CHANGE,
	KOBJ_MOVE,
	KOBJ_ONLINE,
	KOBJ_OFFLINE,
	KOBJ_BIND,
	KOBJ_UNBIND,
};
struct kobject {
	const char *name;
	struct kref kref;
};
/* No udev to tell: accepted and dropped. */
static inline int kobject_uevent(struct kobject *kobj, enum kobject_action action) { return 0; }
#endif

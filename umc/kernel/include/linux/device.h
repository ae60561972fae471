#ifndef _DEVICE_H_
#define _DEVICE_H_
#include <linux/types.h>
#include <linux/kobject.h>
#include <linux/printk.h>
struct device {
	struct kobject kobj;
	const char *init_name;
	void *driver_data;
};
static inline const char *dev_name(const struct device *dev) { return dev->kobj.name ? dev->kobj.name : dev->init_name; }
#include <linux/dev_printk.h>
#endif

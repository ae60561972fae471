/* The hosted driver is one "module" linked into the process: it cannot be
 * unloaded while referenced because it is never unloaded at all, so module
 * reference counting always succeeds.  __this_module is the module's own
 * (the hosted DRBD's is drbd-shim/glue/drbd_module.c): its name prefixes
 * dev_printk messages, its srcversion is what /proc/drbd reports. */
#ifndef _LINUX_MODULE_H
#define _LINUX_MODULE_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/init.h>
#include <linux/export.h>
#include <linux/moduleparam.h>
#include <linux/stringify.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/atomic.h>
#include <linux/kmod.h>

#define MODULE_NAME_LEN 56

struct module {
	char name[MODULE_NAME_LEN];
	const char *version;
	const char *srcversion;
};

static inline bool try_module_get(struct module *module) { (void)module; return true; }
static inline void module_put(struct module *module) { (void)module; }
static inline void __module_get(struct module *module) { (void)module; }
#define module_name(mod) ((mod) ? (mod)->name : "kernel")

#define MODULE_LICENSE(x)
#define MODULE_AUTHOR(x)
#define MODULE_DESCRIPTION(x)
#define MODULE_VERSION(x)
#define MODULE_ALIAS(x)
#define MODULE_INFO(tag, info)
#define MODULE_SOFTDEP(x)
#define MODULE_FIRMWARE(x)
#define MODULE_DEVICE_TABLE(type, name)
#define MODULE_IMPORT_NS(ns)

#endif

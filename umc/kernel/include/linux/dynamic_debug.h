#ifndef _DYNAMIC_DEBUG_H
#define _DYNAMIC_DEBUG_H
/* Debug messages are compiled in and go to the log at debug level (which
 * the log's own level filters). */
#define dynamic_pr_debug(fmt, ...) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define dynamic_dev_dbg(dev, fmt, ...) dev_printk(KERN_DEBUG, dev, fmt, ##__VA_ARGS__)
#define DEFINE_DYNAMIC_DEBUG_METADATA(name, fmt)
#define DYNAMIC_DEBUG_BRANCH(descriptor) 1
#endif

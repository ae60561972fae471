#ifndef _LINUX_PART_STAT_H
#define _LINUX_PART_STAT_H
#include <linux/blkdev.h>
#define STAT_READ 0
#define STAT_WRITE 1
#define STAT_DISCARD 2
#define STAT_FLUSH 3
/* Counters are kept by whoever performs the I/O (the runtime's lower
 * devices, bio accounting); read them racily like the kernel does. */
#define part_stat_read(part, field) READ_ONCE((part)->bd_stats.field)
#define part_stat_read_accum(part, field) \
	(part_stat_read(part, field[STAT_READ]) + part_stat_read(part, field[STAT_WRITE]) + \
	 part_stat_read(part, field[STAT_DISCARD]))
#endif

/* /proc entries: recorded by name with their show function; fuse_nodes
 * renders them through seq_file (umc/kernel/fs/proc/generic.c). */
#ifndef _LINUX_PROC_FS_H
#define _LINUX_PROC_FS_H
#include <linux/types.h>
#include <linux/fs.h>
struct seq_file;
struct proc_dir_entry;
struct proc_dir_entry *proc_create_single_data(const char *name, umode_t mode, struct proc_dir_entry *parent,
					       int (*show)(struct seq_file *, void *), void *data);
#define proc_create_single(name, mode, parent, show) proc_create_single_data(name, mode, parent, show, NULL)
void remove_proc_entry(const char *name, struct proc_dir_entry *parent);
void proc_remove(struct proc_dir_entry *de);
/* UMC: render /proc/<name> (see umc/kernel/fs/proc/generic.c). */
char *umc_proc_render(const char *name, long *len);
#endif

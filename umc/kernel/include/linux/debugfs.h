/* CONFIG_DEBUG_FS is off: the kernel's stubs. */
#ifndef _DEBUGFS_H_
#define _DEBUGFS_H_
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/err.h>
struct dentry;
struct file_operations;
static inline struct dentry *debugfs_create_dir(const char *name, struct dentry *parent) { return ERR_PTR(-ENODEV); }
static inline struct dentry *debugfs_create_file(const char *name, umode_t mode, struct dentry *parent, void *data,
						 const struct file_operations *fops)
{
	return ERR_PTR(-ENODEV);
}
static inline struct dentry *debugfs_create_symlink(const char *name, struct dentry *parent, const char *dest)
{
	return ERR_PTR(-ENODEV);
}
static inline void debugfs_remove(struct dentry *dentry) { }
static inline void debugfs_remove_recursive(struct dentry *dentry) { }
#endif

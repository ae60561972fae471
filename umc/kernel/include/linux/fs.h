#ifndef _LINUX_FS_H
#define _LINUX_FS_H
#include <linux/types.h>
#include <linux/list.h>
#include <linux/wait.h>
#include <linux/kdev_t.h>
#include <linux/stat.h>

#define FMODE_READ ((__force fmode_t)0x1)
#define FMODE_WRITE ((__force fmode_t)0x2)
#define FMODE_LSEEK ((__force fmode_t)0x4)
#define FMODE_EXCL ((__force fmode_t)0x80)
#define FMODE_NDELAY ((__force fmode_t)0x40)

#define READ 0
#define WRITE 1

struct inode {
	umode_t i_mode;
	loff_t i_size;
	dev_t i_rdev;
	void *i_private;
};
struct path {
	struct dentry *dentry;
};
struct file {
	struct path f_path;
	fmode_t f_mode;
	unsigned int f_flags;
	loff_t f_pos;
	void *private_data;
	struct inode *f_inode;
};
struct dentry;
struct file_operations;
struct block_device;
struct module;
static inline struct inode *file_inode(const struct file *f) { return f->f_inode; }
#endif

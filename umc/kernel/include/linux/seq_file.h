/* seq_file: a growing text buffer that show() callbacks print into.  The
 * buffer logic is in umc/kernel/fs/seq_file.c.  Overflow follows the
 * kernel: once a print does not fit, count == size and the reader must run
 * show() again with a bigger buffer (seq_has_overflowed()). */
#ifndef _LINUX_SEQ_FILE_H
#define _LINUX_SEQ_FILE_H

#include <linux/types.h>
#include <linux/string.h>
#include <linux/bug.h>
#include <linux/stdarg.h>

struct file;
struct inode;
struct seq_operations;

struct seq_file {
	char *buf;
	size_t size;
	size_t from;
	size_t count;
	size_t pad_until;
	loff_t index;
	loff_t read_pos;
	const struct seq_operations *op;
	int poll_event;
	const struct file *file;
	void *private;
};

struct seq_operations {
	void *(*start)(struct seq_file *m, loff_t *pos);
	void (*stop)(struct seq_file *m, void *v);
	void *(*next)(struct seq_file *m, void *v, loff_t *pos);
	int (*show)(struct seq_file *m, void *v);
};

#define SEQ_SKIP 1

static inline bool seq_has_overflowed(struct seq_file *m) { return m->count == m->size; }

__printf(2, 0) void seq_vprintf(struct seq_file *m, const char *fmt, va_list args);
__printf(2, 3) void seq_printf(struct seq_file *m, const char *fmt, ...);
void seq_putc(struct seq_file *m, char c);
void seq_puts(struct seq_file *m, const char *s);
void seq_write(struct seq_file *m, const void *data, size_t len);
void seq_pad(struct seq_file *m, char c);
void seq_put_decimal_ull(struct seq_file *m, const char *delimiter, unsigned long long num);
void seq_put_decimal_ll(struct seq_file *m, const char *delimiter, long long num);

int single_open(struct file *file, int (*show)(struct seq_file *, void *), void *data);
int single_release(struct inode *inode, struct file *file);
int seq_release(struct inode *inode, struct file *file);
ssize_t seq_read(struct file *file, char __user *buf, size_t size, loff_t *ppos);
loff_t seq_lseek(struct file *file, loff_t offset, int whence);

/* UMC: run @show once into a fresh buffer, doubling it until the output
 * fits; returns the NUL-terminated text (kfree() it) and its length in
 * *len, or NULL on allocation failure / a negative show() return (*len
 * then holds -errno). */
char *umc_seq_render(int (*show)(struct seq_file *, void *), void *private, void *v, long *len);

#endif

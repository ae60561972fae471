// SPDX-License-Identifier: GPL-2.0
/* /proc entries the kernel side creates (DRBD: "drbd"), kept by name for
 * the program that shows them (fuse_nodes renders them with
 * umc_proc_render()). */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/list.h>
#include <linux/string.h>

struct proc_dir_entry {
	struct list_head list;
	char name[64];
	umode_t mode;
	int (*show)(struct seq_file *, void *);
	void *data;
};

static LIST_HEAD(proc_entries);
static DEFINE_SPINLOCK(proc_lock);

struct proc_dir_entry *proc_create_single_data(const char *name, umode_t mode, struct proc_dir_entry *parent,
					       int (*show)(struct seq_file *, void *), void *data)
{
	struct proc_dir_entry *e = kzalloc(sizeof(*e), GFP_KERNEL);

	if (!e)
		return NULL;
	strscpy(e->name, name, sizeof(e->name));
	e->mode = mode;
	e->show = show;
	e->data = data;
	spin_lock(&proc_lock);
	list_add_tail(&e->list, &proc_entries);
	spin_unlock(&proc_lock);
	return e;
}

static struct proc_dir_entry *find_locked(const char *name)
{
	struct proc_dir_entry *e;

	list_for_each_entry(e, &proc_entries, list) if (!strcmp(e->name, name)) return e;
	return NULL;
}

void remove_proc_entry(const char *name, struct proc_dir_entry *parent)
{
	struct proc_dir_entry *e;

	spin_lock(&proc_lock);
	e = find_locked(name);
	if (e)
		list_del(&e->list);
	spin_unlock(&proc_lock);
	kfree(e);
}

void proc_remove(struct proc_dir_entry *de)
{
	if (de)
		remove_proc_entry(de->name, NULL);
}

/* UMC: the text of /proc/<name> (kfree it), or NULL with *len = -errno
 * (-ENOENT when no such entry).  Show functions run in the caller's task;
 * the entry must not be removed meanwhile (DRBD removes it at unload). */
char *umc_proc_render(const char *name, long *len)
{
	struct proc_dir_entry *e;

	spin_lock(&proc_lock);
	e = find_locked(name);
	spin_unlock(&proc_lock);
	if (!e) {
		*len = -ENOENT;
		return NULL;
	}
	return umc_seq_render(e->show, e->data, NULL, len);
}

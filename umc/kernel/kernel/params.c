// SPDX-License-Identifier: GPL-2.0
/* Module parameters as /sys/module/<module>/parameters shows them
 * (umc/kernel_host.h): the records of linux/moduleparam.h, read and written
 * with the kernel's param_get_* / param_set_* rules (kernel/params.c), with
 * the differences umc/kernel_host.h specifies: one trailing newline of a
 * write is dropped for every type (the kernel keeps it in strings), and
 * every refusal to parse is -EINVAL (the kernel has -ERANGE for numbers
 * out of range, -ENOSPC for strings that do not fit). */
#include <linux/moduleparam.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/list.h>
#include <linux/stat.h>
#include <umc/kernel_private.h>

/* Serialises show and store (the kernel's kernel_param_lock).  The module
 * reads its variables without it, as in the kernel. */
static DEFINE_SPINLOCK(params_lock);

/* Strings that stores made for charp parameters (the kernel's
 * maybe_kfree_parameter list): freed when replaced, and at shutdown. */
struct charp_value {
	struct list_head list;
	const struct umc_module_param *param;
	char str[];
};
static LIST_HEAD(charp_values);

static const struct umc_module_param *param_at(unsigned int index)
{
	unsigned int n;
	const struct umc_module_param *p = umc_kernel_module_params(&n);

	return index < n ? &p[index] : NULL;
}

unsigned int umc_module_param_count(void)
{
	unsigned int n;

	umc_kernel_module_params(&n);
	return n;
}

int umc_module_param_info(unsigned int index, const char **name, unsigned int *perm)
{
	const struct umc_module_param *p = param_at(index);

	if (!p)
		return -ENOENT;
	if (name)
		*name = p->name;
	if (perm)
		*perm = p->perm;
	return 0;
}

int umc_module_param_show(unsigned int index, char *buf, size_t size)
{
	const struct umc_module_param *p = param_at(index);
	int len;

	if (!p)
		return -ENOENT;
	spin_lock(&params_lock);
	switch (p->type) {
	case UMC_PARAM_BOOL:
		len = snprintf(buf, size, "%c\n", *(bool *)p->value ? 'Y' : 'N');
		break;
	case UMC_PARAM_INT:
		len = snprintf(buf, size, "%d\n", *(int *)p->value);
		break;
	case UMC_PARAM_UINT:
		len = snprintf(buf, size, "%u\n", *(unsigned int *)p->value);
		break;
	case UMC_PARAM_ULONG:
		len = snprintf(buf, size, "%lu\n", *(unsigned long *)p->value);
		break;
	case UMC_PARAM_CHARP:
		len = snprintf(buf, size, "%s\n", *(char **)p->value);
		break;
	case UMC_PARAM_STRING:
		len = snprintf(buf, size, "%s\n", (char *)p->value);
		break;
	default:
		len = -EINVAL;
		break;
	}
	spin_unlock(&params_lock);
	if (len >= 0 && (size_t)len >= size)
		return -ENOSPC;
	return len;
}

static int store_charp(const struct umc_module_param *p, const char *val)
{
	size_t n = strlen(val);
	struct charp_value *v, *old = NULL, *it;

	if (n > 1024) /* the kernel's limit (param_set_charp) */
		return -EINVAL;
	v = kmalloc(sizeof(*v) + n + 1, GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	v->param = p;
	memcpy(v->str, val, n + 1);
	spin_lock(&params_lock);
	list_for_each_entry(it, &charp_values, list) if (it->param == p)
	{
		old = it;
		break;
	}
	if (old)
		list_del(&old->list);
	list_add(&v->list, &charp_values);
	*(char **)p->value = v->str;
	spin_unlock(&params_lock);
	kfree(old);
	return 0;
}

int umc_module_param_store(unsigned int index, const char *value, size_t len)
{
	const struct umc_module_param *p = param_at(index);
	char *val;
	int err;

	if (!p)
		return -ENOENT;
	if (!(p->perm & S_IWUSR))
		return -EPERM;
	if (len && value[len - 1] == '\n')
		len--;
	if (memchr(value, 0, len))
		return -EINVAL;
	val = kmalloc(len + 1, GFP_KERNEL);
	if (!val)
		return -ENOMEM;
	memcpy(val, value, len);
	val[len] = 0;

	/* Numbers take one newline, which went above. */
	if (p->type != UMC_PARAM_CHARP && p->type != UMC_PARAM_STRING && p->type != UMC_PARAM_BOOL &&
	    memchr(val, '\n', len)) {
		kfree(val);
		return -EINVAL;
	}
	if (p->type == UMC_PARAM_CHARP) {
		err = store_charp(p, val);
		kfree(val);
		return err;
	}
	spin_lock(&params_lock);
	switch (p->type) {
	case UMC_PARAM_BOOL: {
		bool b;

		err = kstrtobool(val, &b);
		if (!err)
			*(bool *)p->value = b;
		break;
	}
	case UMC_PARAM_INT: {
		int i;

		err = kstrtoint(val, 0, &i);
		if (!err)
			*(int *)p->value = i;
		break;
	}
	case UMC_PARAM_UINT: {
		unsigned int u;

		err = kstrtouint(val, 0, &u);
		if (!err)
			*(unsigned int *)p->value = u;
		break;
	}
	case UMC_PARAM_ULONG: {
		unsigned long ul;

		err = kstrtoul(val, 0, &ul);
		if (!err)
			*(unsigned long *)p->value = ul;
		break;
	}
	case UMC_PARAM_STRING:
		if (len + 1 > p->maxlen) {
			err = -EINVAL;
		} else {
			memcpy(p->value, val, len + 1);
			err = 0;
		}
		break;
	default:
		err = -EINVAL;
		break;
	}
	spin_unlock(&params_lock);
	kfree(val);
	return err ? -EINVAL : 0;
}

/* At shutdown (the kernel's destroy_params): strings stores made are freed;
 * their parameters are left NULL. */
void __umc_params_shutdown(void)
{
	struct charp_value *v, *tmp;

	spin_lock(&params_lock);
	list_for_each_entry_safe(v, tmp, &charp_values, list)
	{
		*(char **)v->param->value = NULL;
		list_del(&v->list);
		kfree(v);
	}
	spin_unlock(&params_lock);
}

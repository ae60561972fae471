// SPDX-License-Identifier: GPL-2.0
/* seq_file buffer logic.  Printing never writes past m->size; a print that
 * does not fit marks the file overflowed (count = size) and the producer
 * (umc_seq_render) retries show() with a buffer twice as large. */
#include <linux/seq_file.h>
#include <linux/kernel.h>
#include <linux/slab.h>

static void seq_set_overflow(struct seq_file *m)
{
	m->count = m->size;
}

void seq_vprintf(struct seq_file *m, const char *f, va_list args)
{
	int len;

	if (m->count < m->size) {
		len = vsnprintf(m->buf + m->count, m->size - m->count, f, args);
		if (m->count + (size_t)len < m->size) {
			m->count += (size_t)len;
			return;
		}
	}
	seq_set_overflow(m);
}

void seq_printf(struct seq_file *m, const char *f, ...)
{
	va_list args;

	va_start(args, f);
	seq_vprintf(m, f, args);
	va_end(args);
}

void seq_putc(struct seq_file *m, char c)
{
	if (m->count >= m->size)
		return;
	m->buf[m->count++] = c;
}

void seq_write(struct seq_file *m, const void *data, size_t len)
{
	if (m->count + len < m->size) {
		memcpy(m->buf + m->count, data, len);
		m->count += len;
		return;
	}
	seq_set_overflow(m);
}

void seq_puts(struct seq_file *m, const char *s)
{
	seq_write(m, s, strlen(s));
}

/* Pads with @c up to the column set in m->pad_until, then writes @c once
 * more if @c is not NUL (the kernel's seq_pad contract). */
void seq_pad(struct seq_file *m, char c)
{
	size_t size = m->pad_until - m->count;

	if (m->pad_until > m->count) {
		if (size + m->count > m->size) {
			seq_set_overflow(m);
			return;
		}
		memset(m->buf + m->count, ' ', size);
		m->count += size;
	}
	if (c)
		seq_putc(m, c);
}

void seq_put_decimal_ull(struct seq_file *m, const char *delimiter, unsigned long long num)
{
	seq_printf(m, "%s%llu", delimiter, num);
}

void seq_put_decimal_ll(struct seq_file *m, const char *delimiter, long long num)
{
	seq_printf(m, "%s%lld", delimiter, num);
}

char *umc_seq_render(int (*show)(struct seq_file *, void *), void *private, void *v, long *len)
{
	size_t size = 4096;

	for (;;) {
		struct seq_file m = {.size = size, .private = private};
		int err;

		m.buf = kvmalloc(size, GFP_KERNEL);
		if (!m.buf) {
			*len = -ENOMEM;
			return NULL;
		}
		err = show(&m, v);
		if (err < 0) {
			kvfree(m.buf);
			*len = err;
			return NULL;
		}
		if (!seq_has_overflowed(&m)) {
			m.buf[m.count] = '\0'; /* count < size: room for the NUL */
			*len = (long)m.count;
			return m.buf;
		}
		kvfree(m.buf);
		if (size >= KMALLOC_MAX_SIZE / 2) {
			*len = -ENOMEM;
			return NULL;
		}
		size *= 2;
	}
}

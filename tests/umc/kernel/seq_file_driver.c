// SPDX-License-Identifier: GPL-2.0
/* See seq_file_driver.h. */
#include <linux/seq_file.h>
#include "seq_file_driver.h"

static int show_lines(struct seq_file *m, void *v)
{
	int i, lines = *(int *)m->private;
	for (i = 0; i < lines; i++)
		seq_printf(m, "%099d\n", i);
	return 0;
}

char *kd_seq_render_lines(int lines, long *len)
{
	return umc_seq_render(show_lines, &lines, NULL, len);
}

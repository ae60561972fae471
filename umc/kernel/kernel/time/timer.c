// SPDX-License-Identifier: GPL-2.0
/* The runtime fires expired timers with the timer itself; run its function. */
#include <linux/timer.h>

void __umc_timer_fire(void *timer)
{
	struct timer_list *t = timer;

	t->function(t);
}

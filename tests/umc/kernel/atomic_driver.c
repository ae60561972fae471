// SPDX-License-Identifier: GPL-2.0
/* See atomic_driver.h. */
#include <linux/atomic.h>
#include <linux/kref.h>
#include "atomic_driver.h"

int kd_atomic_sequence(void)
{
	atomic_t a = ATOMIC_INIT(5);
	atomic64_t b = ATOMIC64_INIT(1LL << 40);
	int step = 0;

	step++;
	if (atomic_read(&a) != 5)
		return step;
	atomic_inc(&a);
	step++;
	if (atomic_read(&a) != 6)
		return step;
	step++;
	if (atomic_dec_return(&a) != 5)
		return step;
	step++;
	if (atomic_sub_and_test(5, &a) != true)
		return step;
	step++;
	if (atomic_dec_and_test(&a) != false || atomic_read(&a) != -1)
		return step;
	step++;
	if (atomic_add_unless(&a, 1, -1) != false || atomic_read(&a) != -1)
		return step;
	atomic_set(&a, 0);
	step++;
	if (atomic_inc_not_zero(&a) != false)
		return step;
	step++;
	if (atomic_dec_if_positive(&a) != -1 || atomic_read(&a) != 0)
		return step;
	step++;
	if (atomic_xchg(&a, 9) != 0 || atomic_read(&a) != 9)
		return step;
	step++;
	if (atomic_cmpxchg(&a, 8, 1) != 9 || atomic_read(&a) != 9)
		return step;
	step++;
	if (atomic_cmpxchg(&a, 9, 1) != 9 || atomic_read(&a) != 1)
		return step;
	step++;
	if (atomic_fetch_or(6, &a) != 1 || atomic_read(&a) != 7)
		return step;
	step++;
	if (atomic64_add_return(1, &b) != (1LL << 40) + 1)
		return step;
	return 0;
}

static int releases;
static void count_release(struct kref *k)
{
	releases++;
}

int kd_kref_release_runs_once(void)
{
	struct kref k;
	int i;

	releases = 0;
	kref_init(&k);
	kref_get(&k);
	kref_get(&k);
	for (i = 0; i < 3; i++)
		kref_put(&k, count_release);
	if (releases != 1 || kref_read(&k) != 0)
		return -1;
	if (kref_get_unless_zero(&k))
		return -2;
	return releases;
}

int kd_cmpxchg_returns_old(void)
{
	unsigned long x = 3;
	unsigned long old = cmpxchg(&x, 3UL, 4UL);
	unsigned long failed = cmpxchg(&x, 3UL, 5UL);
	return old == 3 && failed == 4 && x == 4 && xchg(&x, 7UL) == 4 && x == 7;
}

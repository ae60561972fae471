/* The wall must be plain freestanding C: this file includes every wall
 * header with -nostdinc (only the compiler's own stddef/stdint/stdbool)
 * and -Wall -Wextra -Werror -pedantic-ish, as the kernel side will. */
#include <umc/crypto.h>
#include <umc/mem.h>
#include <umc/printk.h>
#include <umc/rcu.h>
#include <umc/runtime.h>
#include <umc/signal.h>
#include <umc/socket.h>
#include <umc/task.h>
#include <umc/time.h>
#include <umc/timer.h>
#include <umc/workqueue.h>

/* Layouts the kernel side mirrors. */
_Static_assert(sizeof(struct umc_rcu_head) == 2 * sizeof(void *), "rcu_head is two pointers");
_Static_assert(UMC_HZ == 1000, "HZ");
_Static_assert(UMC_PAGE_SIZE == 4096, "PAGE_SIZE is baked into DRBD's on-disk format");

static struct umc_ratelimit_state rs = UMC_RATELIMIT_INIT(5 * UMC_HZ, 10);

int umc_wall_c_check(void);
int umc_wall_c_check(void)
{
	return rs.burst + (int)sizeof(struct umc_iov);
}

#include <linux/netlink.h>

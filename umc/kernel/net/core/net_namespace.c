// SPDX-License-Identifier: GPL-2.0
/* The one network namespace. */
#include <net/net_namespace.h>

struct net init_net;

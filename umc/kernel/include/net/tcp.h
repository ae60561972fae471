#ifndef _TCP_H
#define _TCP_H
#include <linux/tcp.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#endif

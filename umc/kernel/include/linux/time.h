#ifndef _LINUX_TIME_H
#define _LINUX_TIME_H
#include <linux/types.h>
#include <linux/time64.h>
#endif

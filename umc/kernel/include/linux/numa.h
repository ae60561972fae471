#ifndef _LINUX_NUMA_H
#define _LINUX_NUMA_H
#define NUMA_NO_NODE (-1)
#define MAX_NUMNODES 1
#endif

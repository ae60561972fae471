#ifndef _LINUX_BLKPG_H
#define _LINUX_BLKPG_H
#endif

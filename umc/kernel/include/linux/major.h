#ifndef _LINUX_MAJOR_H
#define _LINUX_MAJOR_H
#define DRBD_MAJOR 147
#define LOOP_MAJOR 7
#define SCSI_DISK0_MAJOR 8
#endif

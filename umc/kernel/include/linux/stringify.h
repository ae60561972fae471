#ifndef _LINUX_STRINGIFY_H
#define _LINUX_STRINGIFY_H
/* Two levels so that macro arguments are expanded before being quoted. */
#define __stringify_1(x...) #x
#define __stringify(x...) __stringify_1(x)
#define FILE_LINE __FILE__ ":" __stringify(__LINE__)
#endif

#ifndef _UMC_STDDEF_H
#define _UMC_STDDEF_H
#include <linux/types.h>
#endif

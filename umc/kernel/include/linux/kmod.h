#include <linux/umh.h>

#include <linux/genetlink.h>

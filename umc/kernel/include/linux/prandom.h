#include <linux/random.h>

#include <asm/barrier.h>

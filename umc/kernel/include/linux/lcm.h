#ifndef _LCM_H
#define _LCM_H
unsigned long lcm(unsigned long a, unsigned long b) __attribute__((const));
/* lcm, where a zero operand means "no constraint" and yields the other. */
unsigned long lcm_not_zero(unsigned long a, unsigned long b) __attribute__((const));
#endif

#ifndef _GCD_H
#define _GCD_H
unsigned long gcd(unsigned long a, unsigned long b) __attribute__((const));
#endif

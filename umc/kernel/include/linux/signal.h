#ifndef _LINUX_SIGNAL_H
#define _LINUX_SIGNAL_H
#include <linux/types.h>
#include <umc/signal.h>

/* x86-64 signal numbers (values are ABI). */
#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGXCPU 24

/* Kernel threads ignore signals unless they allow them. */
static inline void allow_signal(int sig) { umc_signal_allow(sig); }
static inline void allow_kernel_signal(int sig) { umc_signal_allow(sig); }
static inline void disallow_signal(int sig) { umc_signal_disallow(sig); }

typedef struct {
	unsigned long sig[1];
} sigset_t;
#define sigmask(sig) (1UL << ((sig) - 1))
#endif

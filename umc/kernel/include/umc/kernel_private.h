/* umc's own kernel-side declarations (not a Linux header): what the files of
 * umc/kernel share among themselves beyond the Linux API, and the host
 * interface (umc/kernel_host.h) whose entry points they define. */
#ifndef UMC_KERNEL_PRIVATE_H
#define UMC_KERNEL_PRIVATE_H
#include <umc/kernel_host.h>

/* Teardown steps of umc_kernel_shutdown() (umc/lifecycle.c), one per file
 * that keeps state past the module's exit. */
void __umc_bio_shutdown(void);    /* block/bio.c: the default bio sets */
void __umc_params_shutdown(void); /* kernel/params.c: charp values stored */

#endif

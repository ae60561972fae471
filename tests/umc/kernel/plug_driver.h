/* Plain-C probes of block plugging: blk_check_plugged and its callbacks, on
 * the real umc runtime, for plug_test.cpp. */
#ifndef TESTS_UMC_KERNEL_PLUG_DRIVER_H
#define TESTS_UMC_KERNEL_PLUG_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* Plugging: 0 when blk_check_plugged dedups, finish runs the callback
 * once (from_schedule false) and a sleep while plugged runs it with
 * from_schedule true. */
int ksd_plug_callbacks(void);

#ifdef __cplusplus
}
#endif
#endif

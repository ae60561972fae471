/* Plain-C face of drbd_strings.c: names of DRBD's state enums, looked up
 * by the enum constants' values as drbd.h defines them. */
#ifndef TESTS_DRBD_SHIM_STRINGS_DRIVER_H
#define TESTS_DRBD_SHIM_STRINGS_DRIVER_H
#ifdef __cplusplus
extern "C" {
#endif

struct tdrv_named_value {
	int value;
	const char *constant; /* the C name of the enum constant */
	const char *str;      /* what drbd_*_str() returns for it */
};

/* Every connection state C_STANDALONE..C_MASK-1 etc. with its string;
 * returns how many entries *out points to. */
unsigned tdrv_conn_states(const struct tdrv_named_value **out);
unsigned tdrv_roles(const struct tdrv_named_value **out);
unsigned tdrv_disk_states(const struct tdrv_named_value **out);
unsigned tdrv_state_errors(const struct tdrv_named_value **out);

#ifdef __cplusplus
}
#endif
#endif

/* Plain-C probes of seq_file, over the stand-in walls (helpers.hpp), for
 * seq_file_test.cpp. */
#ifndef TESTS_UMC_KERNEL_SEQ_FILE_DRIVER_H
#define TESTS_UMC_KERNEL_SEQ_FILE_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* seq_file: renders `lines` copies of a 100-character line. */
char *kd_seq_render_lines(int lines, long *len);

#ifdef __cplusplus
}
#endif
#endif

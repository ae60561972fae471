// seq_file against kernel semantics, via the plain-C probes in
// seq_file_driver.c (over the stand-in walls, helpers.hpp).
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "seq_file_driver.h"
#include "string_driver.h" // kd_kfree

namespace {

TEST(SeqFile, OutputLargerThanTheFirstBufferIsRenderedWhole)
{
	long len = 0;
	char *text = kd_seq_render_lines(100, &len); // 10000 bytes > 4096
	ASSERT_NE(text, nullptr);
	EXPECT_EQ(len, 10000);
	EXPECT_EQ(std::strlen(text), 10000u);
	EXPECT_EQ(std::string(text + 9900, 100), std::string(97, '0') + "99\n");
	kd_kfree(text);
}

} // namespace

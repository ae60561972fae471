// The kernel's string and printf functions against kernel semantics, via the
// plain-C probes in string_driver.c (over the stand-in walls, helpers.hpp).
#include <gtest/gtest.h>

#include <cstring>

#include "string_driver.h"

namespace {

TEST(String, StrscpyTruncatesTerminatesAndReportsE2BIG)
{
	char buf[6];
	std::memset(buf, 'x', sizeof buf);
	EXPECT_EQ(kd_strscpy(buf, "abc", sizeof buf), 3);
	EXPECT_STREQ(buf, "abc");
	EXPECT_EQ(kd_strscpy(buf, "abcdefgh", sizeof buf), -7); // -E2BIG
	EXPECT_STREQ(buf, "abcde");
	EXPECT_EQ(kd_strscpy(buf, "abc", 0), -7);
}

TEST(String, SysfsStreqAndStrim)
{
	EXPECT_TRUE(kd_sysfs_streq("on", "on\n"));
	EXPECT_TRUE(kd_sysfs_streq("on\n", "on"));
	EXPECT_FALSE(kd_sysfs_streq("on", "onx"));
	char s[] = "  value \n";
	EXPECT_STREQ(kd_strim(s), "value");
}

TEST(Printf, SnprintfReportsFullLengthScnprintfWhatWasWritten)
{
	char buf[8];
	EXPECT_EQ(kd_snprintf(buf, sizeof buf, 12345), 11); // "value=12345"
	EXPECT_STREQ(buf, "value=1");
	EXPECT_EQ(kd_scnprintf(buf, sizeof buf, 12345), 7);
	EXPECT_EQ(kd_scnprintf(buf, 0, 1), 0);
	char *p = kd_kasprintf("res", 7);
	ASSERT_NE(p, nullptr);
	EXPECT_STREQ(p, "res-7");
	kd_kfree(p);
}

} // namespace

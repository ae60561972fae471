// drivers/block/drbd/drbd_nla.c, unmodified: DRBD refuses nested
// attributes it does not know when the sender marked them mandatory
// (DRBD_GENLA_F_MANDATORY, 1 << 14), and otherwise parses by policy.
#include <gtest/gtest.h>

#include <cerrno>
#include <string>

#include "nla_driver.h"

namespace {

tdrv_nla_result parse(tdrv_nla_case c)
{
	tdrv_nla_result r;
	tdrv_nla_parse(&c, &r);
	return r;
}

TEST(DrbdNla, ParsesKnownAttributesAndStripsTheMandatoryFlag)
{
	auto r = parse({1, 4, "r0", 0, 0});
	ASSERT_EQ(r.err, 0);
	EXPECT_TRUE(r.type_flag_cleared);
	EXPECT_TRUE(r.have_u32);
	EXPECT_EQ(r.u32_value, 0xdeadbeefu);
	EXPECT_TRUE(r.have_string);
	EXPECT_EQ(std::string(r.string), "r0");
	EXPECT_EQ(r.strscpy_ret, 2);
	EXPECT_EQ(r.find_nested_type, 2);
}

TEST(DrbdNla, UnknownMandatoryAttributeIsRefused)
{
	auto r = parse({0, 4, "r0", 5, 1});
	EXPECT_EQ(r.err, -EOPNOTSUPP);
	EXPECT_EQ(r.find_nested_type, -EOPNOTSUPP);
}

TEST(DrbdNla, UnknownOptionalAttributeIsIgnored)
{
	auto r = parse({0, 4, nullptr, 5, 0});
	EXPECT_EQ(r.err, 0);
	EXPECT_TRUE(r.have_u32);
	EXPECT_FALSE(r.have_string);
	EXPECT_EQ(r.find_nested_type, 0);
}

TEST(DrbdNla, PolicyViolationsAreRefused)
{
	EXPECT_EQ(parse({0, 2, "r0", 0, 0}).err, -ERANGE); // u32 too short
	// A NUL string must end within len + 1 bytes: a longer one is invalid.
	EXPECT_EQ(parse({0, 4, "123456789", 0, 0}).err, -EINVAL);
	EXPECT_EQ(parse({0, 4, "12345678", 0, 0}).err, 0); // exactly 8
}

TEST(DrbdNla, NestCancelAndMessageSpaceLimits)
{
	EXPECT_EQ(tdrv_nla_nest_cancel_restores_length(), 0);
}

} // namespace

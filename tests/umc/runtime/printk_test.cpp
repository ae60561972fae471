// The kernel formatter: %p extensions DRBD uses, delegation of the rest,
// truncation, levels, ratelimit.
#include <arpa/inet.h>
#include <cstdarg>
#include <cstring>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <string>

#include "helpers.hpp"
#include "umc/printk.h"
#include "umc/task.h"
#include "umc/time.h"

// DRBD's callbacks are static C functions: not in the dynamic symbol table.
extern "C" {
static __attribute__((noinline, used)) int drbd_like_static_handler(int x)
{
	return x * 3;
}
}

namespace {

std::string fmt(const char *f, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, f);
	int n = umc_vsnprintf(buf, sizeof buf, f, ap);
	va_end(ap);
	EXPECT_EQ(static_cast<size_t>(n), std::strlen(buf));
	return buf;
}

int fmt_into(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	int n = umc_vsnprintf(buf, size, f, ap);
	va_end(ap);
	return n;
}

TEST(Printk, PlainConversionsDelegated)
{
	EXPECT_EQ(fmt("%d %5u|%-4s|%llx %zu %c %%", -3, 7u, "ab", 0xdeadbeefcafeull, size_t{42}, 'x'),
		  "-3     7|ab  |deadbeefcafe 42 x %");
	EXPECT_EQ(fmt("%*d|%.*s|%lu", 4, 9, 2, "hello", 123456789012ul), "   9|he|123456789012");
	EXPECT_EQ(fmt("%s", static_cast<const char *>(nullptr)), "(null)");
	EXPECT_EQ(fmt("%.2f %hhu %hd", 1.5, 300, 70000), "1.50 44 4464");
}

TEST(Printk, TruncatesAndReturnsFullLength)
{
	char b[8];
	EXPECT_EQ(fmt_into(b, sizeof b, "%s-%d", "abcdef", 12345), 12);
	EXPECT_STREQ(b, "abcdef-");
	EXPECT_EQ(fmt_into(nullptr, 0, "%pI4", "\x0a\x00\x00\x01"), 8);
}

TEST(Printk, Ipv4AndIpv6)
{
	uint8_t a4[4] = {10, 0, 0, 1};
	EXPECT_EQ(fmt("DRBD_PEER_ADDRESS=%pI4", a4), "DRBD_PEER_ADDRESS=10.0.0.1");
	EXPECT_EQ(fmt("%pi4", a4), "010.000.000.001");
	in6_addr a6{};
	inet_pton(AF_INET6, "fe80::1:2", &a6);
	EXPECT_EQ(fmt("%pI6", &a6), "fe80:0000:0000:0000:0000:0000:0001:0002");
	EXPECT_EQ(fmt("%pI6c", &a6), "fe80::1:2");
	EXPECT_EQ(fmt("%pi6", &a6), "fe800000000000000000000000010002");
}

TEST(Printk, SockaddrWithPort)
{
	sockaddr_in in{};
	in.sin_family = AF_INET;
	in.sin_port = htons(7789);
	inet_pton(AF_INET, "192.168.1.2", &in.sin_addr);
	EXPECT_EQ(fmt("%pISpc", &in), "192.168.1.2:7789");
	EXPECT_EQ(fmt("%pIS", &in), "192.168.1.2");
	sockaddr_in6 in6{};
	in6.sin6_family = AF_INET6;
	in6.sin6_port = htons(7790);
	inet_pton(AF_INET6, "2001:db8::5", &in6.sin6_addr);
	EXPECT_EQ(fmt("%pISpc", &in6), "[2001:db8::5]:7790");
	EXPECT_EQ(fmt("%pISc", &in6), "2001:db8::5");
}

size_t bdev_name(char *buf, size_t size, const void *bdev)
{
	return static_cast<size_t>(snprintf(buf, size, "%s", static_cast<const char *>(bdev)));
}

TEST(Printk, RegisteredExtensionAndNull)
{
	EXPECT_EQ(umc_printk_register('g', bdev_name), 0);
	EXPECT_EQ(umc_printk_register('g', bdev_name), -EEXIST);
	EXPECT_EQ(umc_printk_register('I', bdev_name), -EINVAL);
	EXPECT_EQ(fmt("local IO error on %pg.", "loop0"), "local IO error on loop0.");
	EXPECT_EQ(fmt("%pI4", static_cast<void *>(nullptr)), "(null)");
	EXPECT_EQ(fmt("%pg|%8pg|%-8pg|", "sda", "sda", "sda"), "sda|     sda|sda     |");
}

extern "C" __attribute__((noinline)) int umc_test_symbol_target(int x)
{
	return x + 1;
}

TEST(Printk, SymbolNames)
{
	void *fn = reinterpret_cast<void *>(&umc_test_symbol_target);
	EXPECT_EQ(fmt("%ps failed", fn), "umc_test_symbol_target failed");
	EXPECT_EQ(fmt("%pS", static_cast<char *>(fn) + 1).rfind("umc_test_symbol_target+0x1", 0), 0u);
	EXPECT_EQ(fmt("%ps", reinterpret_cast<void *>(&drbd_like_static_handler)), "drbd_like_static_handler");
	// Unknown address: hex.
	EXPECT_EQ(fmt("%ps", reinterpret_cast<void *>(0x10)), "0x10");
	EXPECT_EQ(fmt("%p", reinterpret_cast<void *>(0xabc)), "0000000000000abc");
}

std::string vf_helper(const char *outer, const char *inner, ...)
{
	va_list ap;
	va_start(ap, inner);
	umc_va_format vaf{inner, &ap};
	std::string s = fmt(outer, &vaf);
	va_end(ap);
	return s;
}

TEST(Printk, NestedVaFormat)
{
	EXPECT_EQ(vf_helper("drbd r0: %pV", "conn %s (%d)\n", "ok", 5), "drbd r0: conn ok (5)\n");
}

int vprintk_helper(const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	int n = umc_vprintk(f, ap);
	va_end(ap);
	return n;
}

TEST(Printk, LevelPrefixStripped)
{
	EXPECT_EQ(vprintk_helper("\0013drbd: error %d\n", 5), 14); // "drbd: error 5\n"
	EXPECT_EQ(vprintk_helper("no level\n"), 9);
}

TEST(Printk, RatelimitBurstAndInterval)
{
	umc_ratelimit_state rs = UMC_RATELIMIT_INIT(50, 3);
	int ok = 0;
	for (int i = 0; i < 10; i++)
		ok += umc_ratelimit(&rs, __func__);
	EXPECT_EQ(ok, 3);
	EXPECT_EQ(rs.missed, 7);
	// After the interval a new burst is allowed.
	umc_set_current_state(UMC_TASK_UNINTERRUPTIBLE);
	umc_schedule_timeout(60);
	EXPECT_TRUE(umc_ratelimit(&rs, __func__));
	EXPECT_EQ(rs.missed, 0);
	umc_ratelimit_state unlimited = UMC_RATELIMIT_INIT(0, 0);
	for (int i = 0; i < 100; i++)
		EXPECT_TRUE(umc_ratelimit(&unlimited, __func__));
}

} // namespace

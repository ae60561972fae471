// Symbol isolation of the kernel world (drbd-shim/cmake/KernelIsolation.cmake).
//
// This binary defines, in C++, global symbols with the very names the
// kernel side defines (kfree, kmalloc, jiffies, list_add, printk, lc_create,
// rb_next, drbd_conn_str, ...).  Without isolation it would not link
// (multiple definitions), or one side would silently call the other's.
// The tests check that the kernel side still uses its own definitions, and
// read the isolated object's symbol table with nm.
#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>

#include "lru_cache_driver.h"
#include "strings_driver.h"

namespace {
int host_kfree_calls = 0;
}

// Host-side namesakes of kernel symbols.
extern "C" {
unsigned long jiffies = 0x1234;
void kfree(const void *)
{
	host_kfree_calls++;
}
void *kmalloc(unsigned long, unsigned)
{
	return nullptr;
}
int list_add = 1;
int printk = 2;
int _printk = 3;
int lc_create = 4;
int rb_next = 5;
int drbd_conn_str = 6;
int umc_seq_render = 7;
int __this_module = 8;
}

namespace {

std::set<std::string> nm_symbols(const std::string &flags)
{
	std::set<std::string> out;
	std::string cmd = "nm " + flags + " --format=just-symbols '" UMC_ISOLATED_OBJECT "'";
	FILE *p = popen(cmd.c_str(), "r");
	if (!p)
		return out;
	char line[512];
	while (fgets(line, sizeof line, p)) {
		std::string s(line);
		while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
			s.pop_back();
		if (!s.empty())
			out.insert(s);
	}
	EXPECT_EQ(pclose(p), 0) << cmd;
	return out;
}

std::set<std::string> keep_list()
{
	std::set<std::string> out;
	FILE *f = fopen(UMC_ISOLATED_KEEP, "r");
	if (!f)
		return out;
	char line[512];
	while (fgets(line, sizeof line, f)) {
		std::string s(line);
		while (!s.empty() && (s.back() == '\n'))
			s.pop_back();
		if (!s.empty())
			out.insert(s);
	}
	fclose(f);
	return out;
}

TEST(SymbolIsolation, KernelUsesItsOwnDefinitionsDespiteHostNamesakes)
{
	host_kfree_calls = 0;
	tdrv_lc *lc = tdrv_lc_create("iso", 1, 2);
	ASSERT_NE(lc, nullptr);
	int e = tdrv_lc_get(lc, 3);
	EXPECT_GE(e, 0);
	tdrv_lc_committed(lc);
	tdrv_lc_put(lc, e);
	tdrv_lc_destroy(lc);
	EXPECT_EQ(host_kfree_calls, 0);
	const tdrv_named_value *v;
	ASSERT_GT(tdrv_conn_states(&v), 0u);
	EXPECT_STREQ(v[0].str, "StandAlone");
	// The host's jiffies is untouched by, and invisible to, the kernel side.
	EXPECT_EQ(jiffies, 0x1234ul);
}

TEST(SymbolIsolation, OnlyTheEntryPointsAreGlobal)
{
	std::set<std::string> keep = keep_list();
	ASSERT_FALSE(keep.empty());
	std::set<std::string> defined = nm_symbols("-g --defined-only");
	EXPECT_EQ(defined, keep);
}

// Whatever the kernel side still needs from outside must be the runtime's
// wall (umc_*), a C-library string/memory function with identical
// semantics, or compiler/sanitizer support; never a kernel name.
TEST(SymbolIsolation, UndefinedReferencesLeaveOnlyThroughTheWall)
{
	static const std::set<std::string> libc = {
		"memcpy",     "memmove",     "memset",  "memcmp",  "memchr",  "strlen", "strnlen", "strcmp",
		"strncmp",    "strcpy",      "strncpy", "strcat",  "strncat", "strchr", "strrchr", "strstr",
		"strcasecmp", "strncasecmp", "strspn",  "strcspn", "strpbrk", "strsep"};
	for (const std::string &s : nm_symbols("-u")) {
		bool ok = s.rfind("umc_", 0) == 0 || libc.count(s) || s.rfind("__asan", 0) == 0 ||
			  s.rfind("__ubsan", 0) == 0 || s.rfind("__tsan", 0) == 0 || s.rfind("__sanitizer", 0) == 0 ||
			  s == "__stack_chk_fail" || s == "_GLOBAL_OFFSET_TABLE_" ||
			  s.rfind("__popcount", 0) == 0 ||                                     // libgcc
			  s == "__start_umc_module_params" || s == "__stop_umc_module_params"; // ld section bounds
		EXPECT_TRUE(ok) << "kernel side references '" << s << "' from outside the wall";
	}
}

} // namespace

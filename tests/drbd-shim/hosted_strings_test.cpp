// drivers/block/drbd/drbd_strings.c, unmodified: the state names that
// /proc/drbd and drbdsetup show (the user-visible contract).
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "strings_driver.h"

namespace {

std::map<std::string, std::string> table(unsigned (*get)(const tdrv_named_value **))
{
	const tdrv_named_value *v = nullptr;
	unsigned n = get(&v);
	std::map<std::string, std::string> m;
	for (unsigned i = 0; i < n; i++)
		m[v[i].constant] = v[i].str ? v[i].str : "(null)";
	return m;
}

TEST(DrbdStrings, ConnectionStates)
{
	auto m = table(tdrv_conn_states);
	EXPECT_EQ(m.size(), 24u);
	EXPECT_EQ(m["C_STANDALONE"], "StandAlone");
	EXPECT_EQ(m["C_WF_CONNECTION"], "WFConnection");
	EXPECT_EQ(m["C_TEAR_DOWN"], "TearDown");
	EXPECT_EQ(m["C_CONNECTED"], "Connected");
	EXPECT_EQ(m["C_WF_BITMAP_S"], "WFBitMapS");
	EXPECT_EQ(m["C_SYNC_TARGET"], "SyncTarget");
	EXPECT_EQ(m["C_VERIFY_T"], "VerifyT");
	EXPECT_EQ(m["C_BEHIND"], "Behind");
	for (auto &[k, v] : m)
		EXPECT_NE(v, "(null)") << k;
}

TEST(DrbdStrings, RolesAndDiskStates)
{
	auto r = table(tdrv_roles);
	EXPECT_EQ(r["R_PRIMARY"], "Primary");
	EXPECT_EQ(r["R_SECONDARY"], "Secondary");
	EXPECT_EQ(r["R_UNKNOWN"], "Unknown");
	auto d = table(tdrv_disk_states);
	EXPECT_EQ(d["D_DISKLESS"], "Diskless");
	EXPECT_EQ(d["D_UNKNOWN"], "DUnknown");
	EXPECT_EQ(d["D_UP_TO_DATE"], "UpToDate");
	EXPECT_EQ(d["D_INCONSISTENT"], "Inconsistent");
}

TEST(DrbdStrings, StateChangeErrors)
{
	auto e = table(tdrv_state_errors);
	EXPECT_EQ(e["SS_TWO_PRIMARIES"], "Multiple primaries not allowed by config");
	EXPECT_EQ(e["SS_NO_UP_TO_DATE_DISK"], "Need access to UpToDate data");
	EXPECT_EQ(e["SS_DEVICE_IN_USE"], "Device is held open by someone");
	EXPECT_EQ(e["SS_O_VOL_PEER_PRI"], "Other vol primary on peer not allowed by config");
}

} // namespace

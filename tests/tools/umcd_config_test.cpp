// umcd's config file: what parses, and the exact errors an operator sees.
#include "daemon_config.hpp"
#include "helpers/helpers.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <sys/utsname.h>
#include <unistd.h>

namespace {

using umcd::ConfigError;
using umcd::DaemonConfig;
using umcd::parse_config;

DaemonConfig ok(const std::string &text)
{
	auto r = parse_config(text, "t.conf");
	if (auto *e = std::get_if<ConfigError>(&r))
		ADD_FAILURE() << e->message;
	return std::holds_alternative<DaemonConfig>(r) ? std::get<DaemonConfig>(r) : DaemonConfig{};
}

std::string err(const std::string &text)
{
	auto r = parse_config(text, "t.conf");
	if (!std::holds_alternative<ConfigError>(r)) {
		ADD_FAILURE() << "accepted: " << text;
		return {};
	}
	return std::get<ConfigError>(r).message;
}

TEST(UmcdConfig, FullFileParsesInOrder)
{
	auto cfg = ok(R"(
# comment line
[umcd]
fs_root = /srv/umc   # trailing comment
log_level = debug
log_file = /tmp/umcd.log

[device ram0]
backend = ram
size = 64M

[device disk-1.a]
backend = uring
path = /var/lib/umc/d1.img
size = 1G
create = yes
)");
	EXPECT_EQ(cfg.fs_root, "/srv/umc");
	EXPECT_EQ(cfg.log_level, "debug");
	EXPECT_EQ(cfg.log_file, "/tmp/umcd.log");
	ASSERT_EQ(cfg.devices.size(), 2u);
	EXPECT_EQ(cfg.devices[0].name, "ram0");
	EXPECT_EQ(cfg.devices[0].backend, "ram");
	EXPECT_EQ(cfg.devices[0].option_string(), "size=64M");
	EXPECT_EQ(cfg.devices[1].name, "disk-1.a");
	EXPECT_EQ(cfg.devices[1].option_string(), "path=/var/lib/umc/d1.img,size=1G,create=yes");
	EXPECT_EQ(cfg.devices[1].line, 12);
}

TEST(UmcdConfig, DefaultsWithoutDaemonSection)
{
	auto cfg = ok("[device a]\nbackend = ram\nsize = 1M\n");
	EXPECT_EQ(cfg.fs_root, "/UMCfuse");
	EXPECT_EQ(cfg.log_level, "info");
	EXPECT_TRUE(cfg.log_file.empty());
}

TEST(UmcdConfig, ErrorsNameFileLineAndCause)
{
	EXPECT_EQ(err("[device a]\nbackend = ram\n[device a]\nbackend = ram\n"),
		  "t.conf:3: device 'a' is defined twice (first at line 1)");
	EXPECT_EQ(err("[device a]\nsize = 1M\n"), "t.conf:1: device 'a' has no 'backend ='");
	EXPECT_EQ(err("[umcd]\nfs_root = relative\n"), "t.conf:2: fs_root must be an absolute path");
	EXPECT_EQ(err("[umcd]\ncolour = blue\n"), "t.conf:2: unknown setting 'colour' in [umcd]");
	EXPECT_EQ(err("size = 1M\n"), "t.conf:1: 'size' outside a section");
	EXPECT_EQ(err("[disks]\n"), "t.conf:1: unknown section '[disks]' (expected [umcd] or [device NAME])");
	EXPECT_EQ(err("[device a]\nbackend ram\n"), "t.conf:2: expected 'key = value', got 'backend ram'");
	EXPECT_EQ(err("[device a]\nbackend = ram\nsize = 1M\nsize = 2M\n"),
		  "t.conf:4: option 'size' given twice for device 'a'");
	EXPECT_EQ(err("[device a]\nbackend = ram\npath = /x,size=1\n"),
		  "t.conf:3: value of 'path' contains ',', which is not allowed");
	EXPECT_EQ(err("[umcd]\nlog_level = loud\n"),
		  "t.conf:2: log_level must be one of trace, debug, info, warn, error, critical, off");
	EXPECT_EQ(err("[device a\n"), "t.conf:1: unterminated section header '[device a'");
}

TEST(UmcdConfig, DeviceNames)
{
	EXPECT_TRUE(umcd::valid_device_name("ram0"));
	EXPECT_TRUE(umcd::valid_device_name("drbd")); // not a minor name
	EXPECT_TRUE(umcd::valid_device_name("drbdx1"));
	EXPECT_FALSE(umcd::valid_device_name("drbd1")); // DRBD's minors
	EXPECT_FALSE(umcd::valid_device_name(""));
	EXPECT_FALSE(umcd::valid_device_name(".."));
	EXPECT_FALSE(umcd::valid_device_name("a/b"));
	EXPECT_FALSE(umcd::valid_device_name(std::string(32, 'a')));
	EXPECT_NE(err("[device drbd7]\nbackend = ram\n").find("drbdN is reserved"), std::string::npos);
}

TEST(UmcdConfig, NodeNameAndStateDir)
{
	auto cfg = ok("[umcd]\nnode_name = alpha-1.b_c\nstate_dir = /srv/umc/alpha/\n");
	EXPECT_EQ(cfg.node_name, "alpha-1.b_c");
	EXPECT_EQ(cfg.state_dir, "/srv/umc/alpha"); // trailing '/' dropped
	EXPECT_TRUE(umcd::valid_node_name(std::string(64, 'n')));
	EXPECT_FALSE(umcd::valid_node_name(std::string(65, 'n')));
	EXPECT_FALSE(umcd::valid_node_name(""));
	EXPECT_FALSE(umcd::valid_node_name("-a"));
	EXPECT_FALSE(umcd::valid_node_name(".a"));
	EXPECT_FALSE(umcd::valid_node_name("a/b"));
	EXPECT_FALSE(umcd::valid_node_name("a:b"));
	EXPECT_EQ(err("[umcd]\nnode_name = al pha\n"), "t.conf:2: node_name 'al pha' is not a valid node name "
						       "(1-64 of A-Z a-z 0-9 _ . -, not starting with . or -)");
	EXPECT_EQ(err("[umcd]\nnode_name =\n"), "t.conf:2: node_name '' is not a valid node name "
						"(1-64 of A-Z a-z 0-9 _ . -, not starting with . or -)");
	EXPECT_EQ(err("[umcd]\nstate_dir = var/lib/umc\n"), "t.conf:2: state_dir must be an absolute path");
	EXPECT_EQ(err("[umcd]\nstate_dir = /\n"), "t.conf:2: state_dir must not be /");
	EXPECT_EQ(err("[umcd]\nstate_dir = /srv/my state\n"),
		  "t.conf:2: state_dir must not contain whitespace or control characters");
	EXPECT_EQ(err("[umcd]\nstate_dir = /srv/../etc\n"),
		  "t.conf:2: state_dir must be a plain path (no '//', '.' or '..' components)");
	EXPECT_EQ(err("[umcd]\nstate_dir = /srv//umc\n"),
		  "t.conf:2: state_dir must be a plain path (no '//', '.' or '..' components)");
	EXPECT_EQ(err("[umcd]\nstate_dir = /" + std::string(1024, 's') + "\n"),
		  "t.conf:2: state_dir is longer than 1024 bytes");
}

TEST(UmcdConfig, NodeDefaultsComeFromTheHostName)
{
	utsname u{};
	ASSERT_EQ(uname(&u), 0);
	auto cfg = ok("[umcd]\nfs_root = /UMCfuse\n");
	EXPECT_TRUE(cfg.node_name.empty()); // not resolved yet
	EXPECT_TRUE(cfg.state_dir.empty());
	ASSERT_FALSE(umcd::resolve_defaults(cfg, "t.conf").has_value());
	EXPECT_EQ(cfg.node_name, u.nodename);
	EXPECT_EQ(cfg.state_dir, std::string("/var/lib/umc/") + u.nodename);

	// A node_name of its own moves the default state_dir with it.
	cfg = ok("[umcd]\nnode_name = beta\n");
	ASSERT_FALSE(umcd::resolve_defaults(cfg, "t.conf").has_value());
	EXPECT_EQ(cfg.node_name, "beta");
	EXPECT_EQ(cfg.state_dir, "/var/lib/umc/beta");

	// An explicit state_dir stays.
	cfg = ok("[umcd]\nnode_name = beta\nstate_dir = /srv/beta-state\n");
	ASSERT_FALSE(umcd::resolve_defaults(cfg, "t.conf").has_value());
	EXPECT_EQ(cfg.state_dir, "/srv/beta-state");
}

TEST(UmcdConfig, StateDirMustNotBeInsideTheFuseTree)
{
	auto check = [](const std::string &text) {
		auto cfg = ok(text);
		auto e = umcd::resolve_defaults(cfg, "t.conf");
		return e ? e->message : std::string();
	};
	EXPECT_EQ(check("[umcd]\nfs_root = /srv/umc\nnode_name = a\nstate_dir = /srv/umc/state\n"),
		  "t.conf: state_dir /srv/umc/state must not be inside fs_root /srv/umc (the FUSE tree)");
	EXPECT_EQ(check("[umcd]\nfs_root = /srv/umc/\nnode_name = a\nstate_dir = /srv/umc\n"),
		  "t.conf: state_dir /srv/umc must not be inside fs_root /srv/umc (the FUSE tree)");
	EXPECT_EQ(check("[umcd]\nfs_root = /srv/umc\nnode_name = a\nstate_dir = /srv/umc-state\n"), "");
}

TEST(UmcdConfig, MissingFileIsAClearError)
{
	auto r = umcd::load_config("/nonexistent/umcd.conf");
	ASSERT_TRUE(std::holds_alternative<ConfigError>(r));
	EXPECT_EQ(std::get<ConfigError>(r).message, "/nonexistent/umcd.conf: cannot read: No such file or directory");
}

TEST(UmcdConfig, LoadsFromFile)
{
	const std::string path = t::temp_path("umcd-config");
	t::write_file(path, "[device r]\nbackend = ram\nsize = 4M\n");
	auto r = umcd::load_config(path);
	unlink(path.c_str());
	ASSERT_TRUE(std::holds_alternative<DaemonConfig>(r));
	EXPECT_EQ(std::get<DaemonConfig>(r).devices.at(0).option_string(), "size=4M");
}

} // namespace

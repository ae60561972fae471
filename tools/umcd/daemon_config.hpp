// daemon_config.hpp - umcd's configuration: the file format, parsed and
// validated before anything is opened or created.
//
// The format is INI-like, one setting a line, '#' starts a comment:
//
//   [umcd]
//   fs_root   = /UMCfuse          # where the FUSE tree is mounted
//   log_level = info              # trace|debug|info|warn|error|critical|off
//   log_file  = /var/log/umcd.log # default: stderr
//   drbd      = yes               # host DRBD (default yes; no: devices only)
//   node_name = alpha             # DRBD host name: drbd.conf's `on alpha`
//                                 # (default: `uname -n`)
//   state_dir = /var/lib/umc/alpha  # drbd-utils' host state for this node
//                                 # (default: /var/lib/umc/<node_name>)
//
//   [device ram0]                 # dev/ram0 under fs_root
//   backend = ram                 # a bio_backends backend name
//   size    = 256M                # every other key goes to the backend
//
// A device name is 1-31 characters of [A-Za-z0-9_.-], unique, and not
// "drbd<N>" (those names belong to DRBD minors).
//
// node_name is 1-64 characters of [A-Za-z0-9_.-] (a host name as `uname -n`
// gives it), not starting with '.' or '-'.  state_dir is an absolute path
// without whitespace, control characters, "." or ".." components, at most
// 1024 bytes, not "/" and not inside fs_root.  With DRBD hosted, umcd creates
// <state_dir>/lib, run and lock, holds <state_dir>/umcd.lock while it runs
// (one daemon per state_dir), and the preload maps drbd-utils' /var/lib/drbd,
// /var/run/drbd and /var/lock/drbd-* there (docs/preload.md).  Both appear in
// proc/umcd/node under fs_root as "node_name NAME" and "state_dir PATH".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace umcd {

struct DeviceConfig {
	std::string name;
	std::string backend;
	// Backend options in file order, as "key=value" pairs for bio_open().
	std::vector<std::pair<std::string, std::string>> options;
	int line = 0; // where the section starts, for messages

	// "key=value,key=value" as bio_open() takes it.
	std::string option_string() const;
};

struct DaemonConfig {
	std::string fs_root = "/UMCfuse";
	std::string log_level = "info";
	std::string log_file;  // empty: stderr
	bool drbd = true;      // host the DRBD module (hosted_drbd.hpp)
	std::string node_name; // empty until resolve_defaults(): `uname -n`
	std::string state_dir; // empty until resolve_defaults(): /var/lib/umc/<node_name>
	std::vector<DeviceConfig> devices;
};

// A parse or validation failure: "FILE:LINE: what is wrong".
struct ConfigError {
	std::string message;
};

// Parse `text` (named `origin` in messages).  Checks syntax, known keys,
// names, duplicates and that each device names a backend; backend options
// themselves are checked when the device is opened.
std::variant<DaemonConfig, ConfigError> parse_config(const std::string &text, const std::string &origin);

// Read and parse a file; a missing or unreadable file is a ConfigError.
std::variant<DaemonConfig, ConfigError> load_config(const std::string &path);

// Fill in what the file left out (node_name from `uname -n`, state_dir from
// node_name) and check what depends on more than one setting (state_dir not
// inside fs_root).  Call after command-line overrides.  `origin` names the
// config in messages.
std::optional<ConfigError> resolve_defaults(DaemonConfig &cfg, const std::string &origin);

bool valid_device_name(const std::string &name);
// A DRBD host name as node_name takes it (see the format above).
bool valid_node_name(const std::string &name);
// state_dir's rules (see above); "" if fine, else what is wrong.
std::string state_dir_problem(const std::string &path);
// The default state_dir of a node.
std::string default_state_dir(const std::string &node_name);

} // namespace umcd

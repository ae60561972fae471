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
//
//   [device ram0]                 # dev/ram0 under fs_root
//   backend = ram                 # a bio_backends backend name
//   size    = 256M                # every other key goes to the backend
//
// A device name is 1-31 characters of [A-Za-z0-9_.-], unique, and not
// "drbd<N>" (those names belong to DRBD minors).
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
  int line = 0;  // where the section starts, for messages

  // "key=value,key=value" as bio_open() takes it.
  std::string option_string() const;
};

struct DaemonConfig {
  std::string fs_root = "/UMCfuse";
  std::string log_level = "info";
  std::string log_file;  // empty: stderr
  bool drbd = true;      // host the DRBD module (hosted_drbd.hpp)
  std::vector<DeviceConfig> devices;
};

// A parse or validation failure: "FILE:LINE: what is wrong".
struct ConfigError {
  std::string message;
};

// Parse `text` (named `origin` in messages).  Checks syntax, known keys,
// names, duplicates and that each device names a backend; backend options
// themselves are checked when the device is opened.
std::variant<DaemonConfig, ConfigError> parse_config(const std::string& text,
                                                     const std::string& origin);

// Read and parse a file; a missing or unreadable file is a ConfigError.
std::variant<DaemonConfig, ConfigError> load_config(const std::string& path);

bool valid_device_name(const std::string& name);

}  // namespace umcd

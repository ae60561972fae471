#include "daemon_config.hpp"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace umcd {
namespace {

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

// Comments start at '#' anywhere on a line; values never contain '#'.
std::string strip_comment(const std::string& line) {
  auto hash = line.find('#');
  return hash == std::string::npos ? line : line.substr(0, hash);
}

bool is_log_level(const std::string& v) {
  for (const char* l : {"trace", "debug", "info", "warn", "error", "critical", "off"})
    if (v == l) return true;
  return false;
}

}  // namespace

bool valid_device_name(const std::string& name) {
  if (name.empty() || name.size() > 31 || name == "." || name == "..") return false;
  for (unsigned char c : name)
    if (!std::isalnum(c) && c != '_' && c != '.' && c != '-') return false;
  // drbd<digits> is where DRBD's minors appear.
  if (name.rfind("drbd", 0) == 0 && name.size() > 4) {
    bool digits = true;
    for (size_t i = 4; i < name.size(); ++i) digits &= std::isdigit(static_cast<unsigned char>(name[i])) != 0;
    if (digits) return false;
  }
  return true;
}

std::string DeviceConfig::option_string() const {
  std::string out;
  for (const auto& [k, v] : options) {
    if (!out.empty()) out += ',';
    out += k;
    out += '=';
    out += v;
  }
  return out;
}

std::variant<DaemonConfig, ConfigError> parse_config(const std::string& text,
                                                     const std::string& origin) {
  DaemonConfig cfg;
  enum class Section { none, daemon, device } section = Section::none;
  std::istringstream in(text);
  std::string raw;
  int lineno = 0;
  auto error = [&](const std::string& what) {
    return ConfigError{origin + ":" + std::to_string(lineno) + ": " + what};
  };

  while (std::getline(in, raw)) {
    ++lineno;
    std::string line = trim(strip_comment(raw));
    if (line.empty()) continue;

    if (line.front() == '[') {
      if (line.back() != ']') return error("unterminated section header '" + line + "'");
      std::string head = trim(line.substr(1, line.size() - 2));
      if (head == "umcd") {
        section = Section::daemon;
      } else if (head.rfind("device", 0) == 0 && head.size() > 6 &&
                 std::isspace(static_cast<unsigned char>(head[6]))) {
        std::string name = trim(head.substr(6));
        if (!valid_device_name(name))
          return error("bad device name '" + name +
                       "' (1-31 of A-Z a-z 0-9 _ . -; drbdN is reserved for DRBD minors)");
        for (const auto& d : cfg.devices)
          if (d.name == name)
            return error("device '" + name + "' is defined twice (first at line " +
                         std::to_string(d.line) + ")");
        cfg.devices.push_back(DeviceConfig{name, {}, {}, lineno});
        section = Section::device;
      } else {
        return error("unknown section '[" + head + "]' (expected [umcd] or [device NAME])");
      }
      continue;
    }

    auto eq = line.find('=');
    if (eq == std::string::npos) return error("expected 'key = value', got '" + line + "'");
    std::string key = trim(line.substr(0, eq));
    std::string value = trim(line.substr(eq + 1));
    if (key.empty()) return error("missing key before '='");
    if (value.find(',') != std::string::npos)
      return error("value of '" + key + "' contains ',', which is not allowed");

    switch (section) {
      case Section::none:
        return error("'" + key + "' outside a section");
      case Section::daemon:
        if (key == "fs_root") {
          if (value.empty() || value.front() != '/') return error("fs_root must be an absolute path");
          cfg.fs_root = value;
        } else if (key == "log_level") {
          if (!is_log_level(value))
            return error("log_level must be one of trace, debug, info, warn, error, critical, off");
          cfg.log_level = value;
        } else if (key == "log_file") {
          cfg.log_file = value;
        } else if (key == "drbd") {
          if (value == "yes" || value == "true" || value == "1") cfg.drbd = true;
          else if (value == "no" || value == "false" || value == "0") cfg.drbd = false;
          else return error("drbd must be yes or no");
        } else {
          return error("unknown setting '" + key + "' in [umcd]");
        }
        break;
      case Section::device: {
        DeviceConfig& dev = cfg.devices.back();
        if (key == "backend") {
          if (!dev.backend.empty()) return error("device '" + dev.name + "' names its backend twice");
          if (value.empty()) return error("empty backend name");
          dev.backend = value;
        } else {
          for (const auto& [k, v] : dev.options)
            if (k == key) return error("option '" + key + "' given twice for device '" + dev.name + "'");
          dev.options.emplace_back(key, value);
        }
        break;
      }
    }
  }
  for (const auto& d : cfg.devices)
    if (d.backend.empty())
      return ConfigError{origin + ":" + std::to_string(d.line) + ": device '" + d.name +
                         "' has no 'backend ='"};
  return cfg;
}

std::variant<DaemonConfig, ConfigError> load_config(const std::string& path) {
  std::ifstream f(path);
  if (!f) return ConfigError{path + ": cannot read: " + std::strerror(errno)};
  std::stringstream ss;
  ss << f.rdbuf();
  return parse_config(ss.str(), path);
}

}  // namespace umcd

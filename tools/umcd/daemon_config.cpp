#include "daemon_config.hpp"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/utsname.h>

namespace umcd {
namespace {

std::string trim(const std::string &s)
{
	size_t b = 0, e = s.size();
	while (b < e && std::isspace(static_cast<unsigned char>(s[b])))
		++b;
	while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])))
		--e;
	return s.substr(b, e - b);
}

// Comments start at '#' anywhere on a line; values never contain '#'.
std::string strip_comment(const std::string &line)
{
	auto hash = line.find('#');
	return hash == std::string::npos ? line : line.substr(0, hash);
}

bool is_log_level(const std::string &v)
{
	for (const char *l : {"trace", "debug", "info", "warn", "error", "critical", "off"})
		if (v == l)
			return true;
	return false;
}

} // namespace

bool valid_device_name(const std::string &name)
{
	if (name.empty() || name.size() > 31 || name == "." || name == "..")
		return false;
	for (unsigned char c : name)
		if (!std::isalnum(c) && c != '_' && c != '.' && c != '-')
			return false;
	// drbd<digits> is where DRBD's minors appear.
	if (name.rfind("drbd", 0) == 0 && name.size() > 4) {
		bool digits = true;
		for (size_t i = 4; i < name.size(); ++i)
			digits &= std::isdigit(static_cast<unsigned char>(name[i])) != 0;
		if (digits)
			return false;
	}
	return true;
}

bool valid_node_name(const std::string &name)
{
	if (name.empty() || name.size() > 64 || name.front() == '.' || name.front() == '-')
		return false;
	for (unsigned char c : name)
		if (!std::isalnum(c) && c != '_' && c != '.' && c != '-')
			return false;
	return true;
}

std::string state_dir_problem(const std::string &path)
{
	if (path.empty() || path.front() != '/')
		return "must be an absolute path";
	if (path.size() > 1024)
		return "is longer than 1024 bytes";
	for (unsigned char c : path)
		if (std::isspace(c) || std::iscntrl(c))
			return "must not contain whitespace or control characters";
	std::string rest = path;
	while (rest.size() > 1 && rest.back() == '/')
		rest.pop_back();
	if (rest == "/")
		return "must not be /";
	// Components: no "", "." or ".." (the preload compares paths lexically).
	size_t pos = 1;
	while (pos <= rest.size()) {
		size_t end = rest.find('/', pos);
		if (end == std::string::npos)
			end = rest.size();
		std::string part = rest.substr(pos, end - pos);
		if (part.empty() || part == "." || part == "..")
			return "must be a plain path (no '//', '.' or '..' components)";
		pos = end + 1;
	}
	return "";
}

std::string default_state_dir(const std::string &node_name)
{
	return "/var/lib/umc/" + node_name;
}

std::optional<ConfigError> resolve_defaults(DaemonConfig &cfg, const std::string &origin)
{
	if (cfg.node_name.empty()) {
		utsname u{};
		if (uname(&u) < 0)
			return ConfigError{origin + ": node_name: uname: " + std::strerror(errno)};
		if (!valid_node_name(u.nodename))
			return ConfigError{origin + ": node_name: the host name '" + std::string(u.nodename) +
					   "' (uname -n) is not a valid node name; set node_name in [umcd]"};
		cfg.node_name = u.nodename;
	}
	if (cfg.state_dir.empty())
		cfg.state_dir = default_state_dir(cfg.node_name);
	while (cfg.state_dir.size() > 1 && cfg.state_dir.back() == '/')
		cfg.state_dir.pop_back();
	if (std::string why = state_dir_problem(cfg.state_dir); !why.empty())
		return ConfigError{origin + ": state_dir " + cfg.state_dir + " " + why};
	std::string root = cfg.fs_root;
	while (root.size() > 1 && root.back() == '/')
		root.pop_back();
	if (cfg.state_dir == root || (root != "/" && cfg.state_dir.rfind(root + "/", 0) == 0) || root == "/")
		return ConfigError{origin + ": state_dir " + cfg.state_dir + " must not be inside fs_root " + root +
				   " (the FUSE tree)"};
	return std::nullopt;
}

std::string DeviceConfig::option_string() const
{
	std::string out;
	for (const auto &[k, v] : options) {
		if (!out.empty())
			out += ',';
		out += k;
		out += '=';
		out += v;
	}
	return out;
}

std::variant<DaemonConfig, ConfigError> parse_config(const std::string &text, const std::string &origin)
{
	DaemonConfig cfg;
	enum class Section { none, daemon, device } section = Section::none;
	std::istringstream in(text);
	std::string raw;
	int lineno = 0;
	auto error = [&](const std::string &what) {
		return ConfigError{origin + ":" + std::to_string(lineno) + ": " + what};
	};

	while (std::getline(in, raw)) {
		++lineno;
		std::string line = trim(strip_comment(raw));
		if (line.empty())
			continue;

		if (line.front() == '[') {
			if (line.back() != ']')
				return error("unterminated section header '" + line + "'");
			std::string head = trim(line.substr(1, line.size() - 2));
			if (head == "umcd") {
				section = Section::daemon;
			} else if (head.rfind("device", 0) == 0 && head.size() > 6 &&
				   std::isspace(static_cast<unsigned char>(head[6]))) {
				std::string name = trim(head.substr(6));
				if (!valid_device_name(name))
					return error(
						"bad device name '" + name +
						"' (1-31 of A-Z a-z 0-9 _ . -; drbdN is reserved for DRBD minors)");
				for (const auto &d : cfg.devices)
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
		if (eq == std::string::npos)
			return error("expected 'key = value', got '" + line + "'");
		std::string key = trim(line.substr(0, eq));
		std::string value = trim(line.substr(eq + 1));
		if (key.empty())
			return error("missing key before '='");
		if (value.find(',') != std::string::npos)
			return error("value of '" + key + "' contains ',', which is not allowed");

		switch (section) {
		case Section::none:
			return error("'" + key + "' outside a section");
		case Section::daemon:
			if (key == "fs_root") {
				if (value.empty() || value.front() != '/')
					return error("fs_root must be an absolute path");
				cfg.fs_root = value;
			} else if (key == "log_level") {
				if (!is_log_level(value))
					return error("log_level must be one of trace, debug, info, warn, error, "
						     "critical, off");
				cfg.log_level = value;
			} else if (key == "node_name") {
				if (!valid_node_name(value))
					return error("node_name '" + value +
						     "' is not a valid node name "
						     "(1-64 of A-Z a-z 0-9 _ . -, not starting with . or -)");
				cfg.node_name = value;
			} else if (key == "state_dir") {
				if (std::string why = state_dir_problem(value); !why.empty())
					return error("state_dir " + why);
				cfg.state_dir = value;
				while (cfg.state_dir.size() > 1 && cfg.state_dir.back() == '/')
					cfg.state_dir.pop_back();
			} else if (key == "log_file") {
				cfg.log_file = value;
			} else if (key == "drbd") {
				if (value == "yes" || value == "true" || value == "1")
					cfg.drbd = true;
				else if (value == "no" || value == "false" || value == "0")
					cfg.drbd = false;
				else
					return error("drbd must be yes or no");
			} else {
				return error("unknown setting '" + key + "' in [umcd]");
			}
			break;
		case Section::device: {
			DeviceConfig &dev = cfg.devices.back();
			if (key == "backend") {
				if (!dev.backend.empty())
					return error("device '" + dev.name + "' names its backend twice");
				if (value.empty())
					return error("empty backend name");
				dev.backend = value;
			} else {
				for (const auto &[k, v] : dev.options)
					if (k == key)
						return error("option '" + key + "' given twice for device '" +
							     dev.name + "'");
				dev.options.emplace_back(key, value);
			}
			break;
		}
		}
	}
	for (const auto &d : cfg.devices)
		if (d.backend.empty())
			return ConfigError{origin + ":" + std::to_string(d.line) + ": device '" + d.name +
					   "' has no 'backend ='"};
	return cfg;
}

std::variant<DaemonConfig, ConfigError> load_config(const std::string &path)
{
	std::ifstream f(path);
	if (!f)
		return ConfigError{path + ": cannot read: " + std::strerror(errno)};
	std::stringstream ss;
	ss << f.rdbuf();
	return parse_config(ss.str(), path);
}

} // namespace umcd

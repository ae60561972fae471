// umcd - the umc daemon: serves block devices (and later the hosted DRBD)
// through a FUSE tree.  See docs/umcd.md.
#include "daemon.hpp"
#include "daemon_config.hpp"

#include <bio_backends/bio_backend.h>
#include <mte/sys_service.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <getopt.h>
#include <cstddef>
#include <string>
#include <vector>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

const char kUsage[] = "usage: umcd [options]\n"
		      "  -c, --config FILE      configuration file (default /etc/umc/umcd.conf)\n"
		      "  -f, --foreground       stay in the foreground, log to stderr\n"
		      "  -r, --fs-root DIR      mount point of the FUSE tree (overrides fs_root; default\n"
		      "                         $UMC_FS_ROOT, else /UMCfuse)\n"
		      "  -l, --log-level LEVEL  trace|debug|info|warn|error|critical|off\n"
		      "      --log-file FILE    log here instead of stderr\n"
		      "      --pidfile FILE     write the daemon's pid here while it runs\n"
		      "      --check            check the configuration as a start would (backends,\n"
		      "                         backing files, fs_root, log file) without creating,\n"
		      "                         mounting or opening anything for writing; exit 0 or 1\n"
		      "      --list-backends    list the storage backends and exit\n"
		      "  -h, --help\n";

struct Options {
	std::string config = "/etc/umc/umcd.conf";
	bool config_given = false;
	bool foreground = false;
	bool check = false;
	bool list_backends = false;
	std::string fs_root, log_level, log_file, pidfile;
};

int parse_level(const std::string &s)
{
	const char *names[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
	for (int i = 0; i < 7; ++i)
		if (s == names[i])
			return i;
	return SYS_LOG_INFO;
}

[[noreturn]] void die(const std::string &msg, int code = 1)
{
	std::fprintf(stderr, "umcd: %s\n", msg.c_str());
	std::exit(code);
}

Options parse_args(int argc, char **argv)
{
	enum { kLogFile = 1000, kPidfile, kCheck, kList };
	static const option longopts[] = {{"config", required_argument, nullptr, 'c'},
					  {"foreground", no_argument, nullptr, 'f'},
					  {"fs-root", required_argument, nullptr, 'r'},
					  {"log-level", required_argument, nullptr, 'l'},
					  {"log-file", required_argument, nullptr, kLogFile},
					  {"pidfile", required_argument, nullptr, kPidfile},
					  {"check", no_argument, nullptr, kCheck},
					  {"list-backends", no_argument, nullptr, kList},
					  {"help", no_argument, nullptr, 'h'},
					  {nullptr, 0, nullptr, 0}};
	Options o;
	int c;
	while ((c = getopt_long(argc, argv, "c:fr:l:h", longopts, nullptr)) != -1) {
		switch (c) {
		case 'c':
			o.config = optarg;
			o.config_given = true;
			break;
		case 'f':
			o.foreground = true;
			break;
		case 'r':
			o.fs_root = optarg;
			break;
		case 'l':
			o.log_level = optarg;
			break;
		case kLogFile:
			o.log_file = optarg;
			break;
		case kPidfile:
			o.pidfile = optarg;
			break;
		case kCheck:
			o.check = true;
			break;
		case kList:
			o.list_backends = true;
			break;
		case 'h':
			std::fputs(kUsage, stdout);
			std::exit(0);
		default:
			std::fputs(kUsage, stderr);
			std::exit(2);
		}
	}
	if (optind < argc)
		die(std::string("unexpected argument '") + argv[optind] + "'\n" + kUsage, 2);
	return o;
}

// `path` made absolute against `base` (a directory).  Background mode
// changes to "/", so nothing relative may survive start-up.
std::string absolute_from(const std::string &base, const std::string &path)
{
	if (path.empty() || path.front() == '/')
		return path;
	return base + "/" + path;
}

std::string current_dir()
{
	char buf[4096];
	return getcwd(buf, sizeof buf) ? std::string(buf) : std::string("/");
}

// Relative file names on the command line are taken from the current
// directory; backend options that name files (`path`, `control`) and
// log_file from the config file's directory.
void make_paths_absolute(Options &opt, umcd::DaemonConfig &cfg, bool config_loaded)
{
	const std::string cwd = current_dir();
	opt.config = absolute_from(cwd, opt.config);
	opt.pidfile = absolute_from(cwd, opt.pidfile);
	std::string config_dir = opt.config.substr(0, opt.config.rfind('/'));
	if (config_dir.empty())
		config_dir = "/";
	if (!config_loaded)
		config_dir = cwd;
	if (!opt.log_file.empty())
		cfg.log_file = opt.log_file = absolute_from(cwd, opt.log_file);
	else
		cfg.log_file = absolute_from(config_dir, cfg.log_file);
	for (auto &dev : cfg.devices)
		for (auto &[key, value] : dev.options)
			if (key == "path" || key == "control")
				value = absolute_from(config_dir, value);
}

// Background mode: the parent stays until the child says it is serving (or
// why it is not), so `umcd` exits 0 only once the devices are usable.
int g_ready_fd = -1;

void report_ready(const std::string &error)
{
	if (g_ready_fd < 0)
		return;
	std::string msg = error.empty() ? "ok" : error;
	if (write(g_ready_fd, msg.data(), msg.size()) < 0) { /* parent gone: nothing to tell */
	}
	close(g_ready_fd);
	g_ready_fd = -1;
}

// Detach from the starter: a new session, cwd /, stdin and stdout on
// /dev/null, and stderr onto the log file (stray output of libraries, a
// sanitizer or a crash lands next to the log), so no terminal or pipe of
// whoever started umcd stays open (an ssh session or a test harness would
// wait for it until the daemon exits).
void daemonize(const std::string &log_file)
{
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		die(std::string("pipe: ") + std::strerror(errno));
	pid_t pid = fork();
	if (pid < 0)
		die(std::string("fork: ") + std::strerror(errno));
	if (pid > 0) {
		close(pipefd[1]);
		std::string msg;
		char buf[512];
		ssize_t n;
		while ((n = read(pipefd[0], buf, sizeof buf)) > 0)
			msg.append(buf, n);
		if (msg == "ok")
			std::exit(0);
		if (msg.empty()) {
			int status = 0;
			waitpid(pid, &status, 0);
			die("exited during start-up (see the log)");
		}
		die(msg);
	}
	close(pipefd[0]);
	g_ready_fd = pipefd[1];
	setsid();
	int devnull = open("/dev/null", O_RDWR);
	if (devnull >= 0) {
		dup2(devnull, STDIN_FILENO);
		dup2(devnull, STDOUT_FILENO);
		int log = open(log_file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
		dup2(log >= 0 ? log : devnull, STDERR_FILENO);
		if (log > STDERR_FILENO)
			close(log);
		if (devnull > STDERR_FILENO)
			close(devnull);
	}
	if (chdir("/") < 0) { /* stay where we are */
	}
}

// systemd's readiness protocol (sd_notify(3)) without libsystemd: one
// datagram of "KEY=VALUE" lines to the AF_UNIX socket named by $NOTIFY_SOCKET
// (a path, or an abstract name when it starts with '@').  umcd says READY=1
// once the tree is served, RELOADING=1 ... READY=1 around a reload and
// STOPPING=1 when it stops.  Without NOTIFY_SOCKET nothing is sent.
class Notifier {
public:
	// Take the address from the environment and remove it there: umcd's
	// children (usermode helpers, drbdsetup-84) are not the service.  Call
	// before any thread exists (unsetenv).
	void init_from_env()
	{
		const char *s = std::getenv("NOTIFY_SOCKET");
		if (!s || !*s)
			return;
		const size_t n = std::strlen(s);
		if ((s[0] == '/' || s[0] == '@') && n < sizeof addr_.sun_path) {
			addr_.sun_family = AF_UNIX;
			std::memcpy(addr_.sun_path, s, n);
			// Abstract: a leading NUL and no terminating one.  A path: with it.
			if (s[0] == '@')
				addr_.sun_path[0] = 0;
			len_ = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + n + (s[0] == '/' ? 1 : 0));
		} else {
			std::fprintf(stderr,
				     "umcd: ignoring NOTIFY_SOCKET=%s (not an absolute path or @name that fits)\n", s);
		}
		unsetenv("NOTIFY_SOCKET");
	}
	// Send `msg`; failures are logged, never fatal (the manager may be gone).
	void send(const sys_service *sys, const std::string &msg) const
	{
		if (len_ == 0)
			return;
		int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0 || sendto(fd, msg.data(), msg.size(), MSG_NOSIGNAL,
				     reinterpret_cast<const sockaddr *>(&addr_), len_) < 0) {
			std::string why = "sd_notify " + msg.substr(0, msg.find('\n')) + ": " + std::strerror(errno);
			if (sys)
				sys->log_write(SYS_LOG_WARN, "umcd", why.data(), why.size());
		}
		if (fd >= 0)
			close(fd);
	}

private:
	sockaddr_un addr_{};
	socklen_t len_ = 0;
};

std::string device_text(const umcd::DeviceConfig &d)
{
	return d.backend + ":" + d.option_string();
}

// SIGHUP: read the config file again, as at start-up (command-line options
// still win), and apply what can change while umcd runs: log_level.  Every
// other difference (fs_root, log_file, drbd, node_name, state_dir, devices)
// is logged as needing a restart; a file that no longer parses changes
// nothing.  `running` keeps describing what runs.
void reload(const sys_service *sys, Options opt, umcd::DaemonConfig &running, bool config_loaded)
{
	auto log = [sys](int level, const std::string &m) { sys->log_write(level, "umcd", m.data(), m.size()); };
	if (!config_loaded) {
		log(SYS_LOG_INFO, "reload: started without a config file, nothing to re-read");
		return;
	}
	auto loaded = umcd::load_config(opt.config);
	if (auto *e = std::get_if<umcd::ConfigError>(&loaded)) {
		log(SYS_LOG_ERROR, "reload: " + e->message + "; keeping the running configuration");
		return;
	}
	umcd::DaemonConfig next = std::get<umcd::DaemonConfig>(loaded);
	if (!opt.fs_root.empty())
		next.fs_root = opt.fs_root;
	if (!opt.log_level.empty())
		next.log_level = opt.log_level;
	make_paths_absolute(opt, next, true);
	if (!opt.foreground && next.log_file.empty())
		next.log_file = "/var/log/umcd.log";
	for (const auto &d : next.devices)
		if (!bio_backend_find(d.backend.c_str())) {
			log(SYS_LOG_ERROR, "reload: " + opt.config + ":" + std::to_string(d.line) + ": device '" +
						   d.name + "': unknown backend '" + d.backend +
						   "'; keeping the running configuration");
			return;
		}
	if (auto e = umcd::resolve_defaults(next, opt.config)) {
		log(SYS_LOG_ERROR, "reload: " + e->message + "; keeping the running configuration");
		return;
	}

	std::vector<std::string> restart;
	auto differs = [&restart](const char *key, const std::string &was, const std::string &now) {
		if (was != now)
			restart.push_back(std::string(key) + " " + was + " -> " + now);
	};
	differs("fs_root", running.fs_root, next.fs_root);
	differs("log_file", running.log_file.empty() ? "(stderr)" : running.log_file,
		next.log_file.empty() ? "(stderr)" : next.log_file);
	differs("drbd", running.drbd ? "yes" : "no", next.drbd ? "yes" : "no");
	differs("node_name", running.node_name, next.node_name);
	differs("state_dir", running.state_dir, next.state_dir);
	for (const auto &d : running.devices) {
		auto it = std::find_if(next.devices.begin(), next.devices.end(),
				       [&](auto &n) { return n.name == d.name; });
		if (it == next.devices.end())
			restart.push_back("device " + d.name + " removed");
		else
			differs(("device " + d.name).c_str(), device_text(d), device_text(*it));
	}
	for (const auto &n : next.devices)
		if (std::none_of(running.devices.begin(), running.devices.end(),
				 [&](auto &d) { return d.name == n.name; }))
			restart.push_back("device " + n.name + " added (" + device_text(n) + ")");

	// Written at the lower of both levels, so that a change of log_level is
	// itself visible; then the new level holds.
	const int was = parse_level(running.log_level), now = parse_level(next.log_level);
	sys->log_set_level(std::min(was, now));
	log(SYS_LOG_INFO, "reload: re-read " + opt.config);
	if (was != now)
		log(SYS_LOG_INFO, "reload: log_level " + running.log_level + " -> " + next.log_level);
	for (const auto &r : restart)
		log(SYS_LOG_WARN, "reload: " + r + ": needs a restart of umcd to take effect");
	sys->log_set_level(now);
	running.log_level = next.log_level;
}

} // namespace

int main(int argc, char **argv)
{
	Options opt = parse_args(argc, argv);
	Notifier notifier;
	notifier.init_from_env();

	if (opt.list_backends) {
		const char *names[64];
		size_t n = bio_backend_list(names, 64);
		for (size_t i = 0; i < n && i < 64; ++i) {
			const bio_backend_ops *ops = bio_backend_find(names[i]);
			std::printf("%-8s %s\n", names[i], ops && ops->summary ? ops->summary : "");
		}
		return 0;
	}

	// A missing default config means "no devices"; a missing named one is an error.
	umcd::DaemonConfig cfg;
	const bool config_loaded = opt.config_given || access(opt.config.c_str(), F_OK) == 0;
	if (config_loaded) {
		auto loaded = umcd::load_config(opt.config);
		if (auto *e = std::get_if<umcd::ConfigError>(&loaded))
			die(e->message);
		cfg = std::get<umcd::DaemonConfig>(loaded);
	}
	if (!opt.fs_root.empty())
		cfg.fs_root = opt.fs_root;
	else if (!opt.config_given && std::getenv("UMC_FS_ROOT"))
		cfg.fs_root = std::getenv("UMC_FS_ROOT");
	if (!opt.log_level.empty())
		cfg.log_level = opt.log_level;
	make_paths_absolute(opt, cfg, config_loaded);
	for (const auto &d : cfg.devices)
		if (!bio_backend_find(d.backend.c_str()))
			die(opt.config + ":" + std::to_string(d.line) + ": device '" + d.name + "': unknown backend '" +
			    d.backend + "' (umcd --list-backends shows them)");
	if (auto e = umcd::resolve_defaults(cfg, opt.config))
		die(e->message);
	if (!opt.foreground && cfg.log_file.empty())
		cfg.log_file = "/var/log/umcd.log";
	if (opt.check) {
		std::vector<std::string> problems = umcd::check_config(cfg);
		for (const auto &p : problems)
			std::fprintf(stderr, "umcd: %s\n", p.c_str());
		if (!problems.empty())
			return 1;
		std::printf("%s: ok, %zu device(s), fs_root %s, node_name %s, state_dir %s\n", opt.config.c_str(),
			    cfg.devices.size(), cfg.fs_root.c_str(), cfg.node_name.c_str(), cfg.state_dir.c_str());
		return 0;
	}
	if (!opt.foreground)
		daemonize(cfg.log_file);

	// Stop (SIGINT, SIGTERM) and reload (SIGHUP) are taken synchronously by
	// this thread alone: block them before any other thread exists so every
	// thread inherits the mask.
	sigset_t stop_signals;
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
	signal(SIGPIPE, SIG_IGN);

	sys_service_params params{};
	params.log_level = parse_level(cfg.log_level);
	params.log_path = cfg.log_file.empty() ? nullptr : cfg.log_file.c_str();
#ifndef UMC_SANITIZER
	params.catch_fatal_signals = 1;
#endif
	params.leak_report = 0;
	int err = 0;
	const sys_service *sys = sys_service_open(SYS_SERVICE_VERSION, &params, &err);
	if (!sys) {
		std::string why = "cannot start the event engine: " + std::string(std::strerror(-err));
		report_ready(why);
		die(why);
	}

	int rc = 0;
	{
		umcd::Daemon daemon(sys);
		std::string why = daemon.start(cfg);
		if (!why.empty()) {
			sys->log_write(SYS_LOG_ERROR, "umcd", why.data(), why.size());
			report_ready(why);
			// The log already went to stderr unless a log file was given.
			if (opt.foreground && !cfg.log_file.empty())
				std::fprintf(stderr, "umcd: %s\n", why.c_str());
			rc = 1;
		} else {
			if (!opt.pidfile.empty()) {
				if (FILE *f = std::fopen(opt.pidfile.c_str(), "w")) {
					std::fprintf(f, "%d\n", getpid());
					std::fclose(f);
				}
			}
			report_ready("");
			notifier.send(sys, "READY=1\nMAINPID=" + std::to_string(getpid()));
			int sig = 0;
			while (sigwait(&stop_signals, &sig) == 0 && sig == SIGHUP) {
				notifier.send(sys, "RELOADING=1");
				reload(sys, opt, cfg, config_loaded);
				notifier.send(sys, "READY=1");
			}
			notifier.send(sys, "STOPPING=1");
			std::string msg = std::string("stopping on ") + strsignal(sig);
			sys->log_write(SYS_LOG_INFO, "umcd", msg.data(), msg.size());
			daemon.stop();
			if (!opt.pidfile.empty())
				unlink(opt.pidfile.c_str());
		}
	}
	sys_service_leaks leaks{};
	sys_service_close(&leaks);
	return rc;
}

// fault: wraps another backend and injects errors, latency and hangs,
// switched at run time through a control file.
//
// Options: inner=<backend> (required), control=<path> (optional); every other
// option goes to the inner backend, e.g.
//   fault:inner=uring,control=/run/umc/f1.ctl,path=/var/lib/umc/d1.img
//
// Control file: the *whole* desired state, one key=value per line, '#'
// comments, blank lines ignored; a key left out takes its default:
//   error=none|read|write|flush|all   which requests fail (a comma list is
//                                     allowed: error=read,flush).  write
//                                     covers WRITE, DISCARD, WRITE_ZEROES.
//   error_sectors=START-END           only requests overlapping 512-byte
//                                     sectors [START, END) fail (flushes have
//                                     no range and ignore this).  Default: all.
//   error_after=N                     the first N matching requests after the
//                                     file is applied still succeed.  Default 0.
//   errno=EIO|ENOSPC|ENOMEM|ETIMEDOUT|EREMOTEIO|<number>   default EIO
//   latency_us=N                      each completion is held until N us after
//                                     its submission.  Default 0.
//   hang=0|1                          1: new requests are held (not passed to
//                                     the inner backend) until a file with
//                                     hang=0 is applied.  Default 0.
//   generation=N                      echoed in the state file (below).
// The file is re-read when it is closed after writing or renamed into place
// (inotify IN_CLOSE_WRITE/IN_MOVED_TO on its directory, read on the device's
// "fault" mte task -- no polling); deleting it resets every fault.  After each
// attempt the backend atomically replaces "<control>.state" with
//   generation=N
//   status=ok            or   status=error: <reason>   (old state kept)
// so a writer can wait until its change is in force.  A malformed file at
// open time fails the open with -EINVAL.
//
// Completion context: failed requests complete inline in bio_submit() (or on
// the "fault" task when latency applies); passed requests complete in the
// inner backend's context, or on the "fault" task when latency applies;
// released hung requests complete in the inner backend's context.
#include "../common.hpp"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <limits.h>
#include <queue>
#include <sstream>
#include <string>
#include <sys/inotify.h>
#include <unistd.h>
#include <vector>

namespace {

enum : unsigned { E_READ = 1, E_WRITE = 2, E_FLUSH = 4 };

struct Rules {
	unsigned error_ops = 0;
	uint64_t sec_start = 0, sec_end = UINT64_MAX;
	uint64_t error_after = 0;
	int err = EIO;
	uint64_t latency_ns = 0;
	bool hang = false;
	uint64_t generation = 0;
};

std::string trim(const std::string &s)
{
	size_t a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
	return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

bool parse_u64(const std::string &v, uint64_t *out)
{
	if (v.empty() || v[0] < '0' || v[0] > '9')
		return false;
	char *end;
	errno = 0;
	unsigned long long n = strtoull(v.c_str(), &end, 10);
	if (*end || errno)
		return false;
	*out = n;
	return true;
}

// Parse a whole control file; on error return false with a reason.
bool parse_rules(const std::string &text, Rules *out, std::string *why)
{
	Rules r;
	std::istringstream in(text);
	std::string line;
	std::vector<std::string> seen;
	for (int ln = 1; std::getline(in, line); ln++) {
		size_t hash = line.find('#');
		if (hash != std::string::npos)
			line.resize(hash);
		line = trim(line);
		if (line.empty())
			continue;
		size_t eq = line.find('=');
		auto bad = [&](const std::string &m) {
			*why = "line " + std::to_string(ln) + ": " + m;
			return false;
		};
		if (eq == std::string::npos)
			return bad("expected key=value, got '" + line + "'");
		std::string k = trim(line.substr(0, eq)), v = trim(line.substr(eq + 1));
		for (auto &s : seen)
			if (s == k)
				return bad("duplicate key '" + k + "'");
		seen.push_back(k);
		uint64_t n;
		if (k == "error") {
			r.error_ops = 0;
			std::istringstream items(v);
			std::string it;
			while (std::getline(items, it, ',')) {
				it = trim(it);
				if (it == "none")
					;
				else if (it == "read")
					r.error_ops |= E_READ;
				else if (it == "write")
					r.error_ops |= E_WRITE;
				else if (it == "flush")
					r.error_ops |= E_FLUSH;
				else if (it == "all")
					r.error_ops |= E_READ | E_WRITE | E_FLUSH;
				else
					return bad("error= takes none, read, write, flush or all, not '" + it + "'");
			}
		} else if (k == "error_sectors") {
			size_t dash = v.find('-');
			uint64_t a, b;
			if (dash == std::string::npos || !parse_u64(trim(v.substr(0, dash)), &a) ||
			    !parse_u64(trim(v.substr(dash + 1)), &b) || a >= b)
				return bad("error_sectors= wants START-END with START < END, not '" + v + "'");
			r.sec_start = a;
			r.sec_end = b;
		} else if (k == "error_after") {
			if (!parse_u64(v, &r.error_after))
				return bad("error_after= wants a count, not '" + v + "'");
		} else if (k == "errno") {
			static const std::pair<const char *, int> names[] = {{"EIO", EIO},
									     {"ENOSPC", ENOSPC},
									     {"ENOMEM", ENOMEM},
									     {"ETIMEDOUT", ETIMEDOUT},
									     {"EREMOTEIO", EREMOTEIO},
									     {"ENODEV", ENODEV},
									     {"EAGAIN", EAGAIN}};
			int e = 0;
			for (auto &p : names)
				if (v == p.first)
					e = p.second;
			if (!e && parse_u64(v, &n) && n > 0 && n < 4096)
				e = (int)n;
			if (!e)
				return bad("errno= wants EIO, ENOSPC, ... or a positive number, not '" + v + "'");
			r.err = e;
		} else if (k == "latency_us") {
			if (!parse_u64(v, &n) || n > 3600ull * 1000000)
				return bad("latency_us= wants microseconds (at most an hour), not '" + v + "'");
			r.latency_ns = n * 1000;
		} else if (k == "hang") {
			int b;
			if (bio_parse_bool(v.c_str(), &b) < 0)
				return bad("hang= wants 0 or 1, not '" + v + "'");
			r.hang = b;
		} else if (k == "generation") {
			if (!parse_u64(v, &r.generation))
				return bad("generation= wants a number, not '" + v + "'");
		} else {
			return bad("unknown key '" + k + "'");
		}
	}
	*out = r;
	return true;
}

struct Fault;

// What travels to the inner backend in place of the caller's request.
struct Shadow {
	bio_request inner;
	bio_request *orig;
	Fault *f;
	uint64_t deadline;
	int status;
};

struct Delayed {
	uint64_t deadline;
	uint64_t seq;
	Shadow *s;
	bool operator>(const Delayed &o) const { return deadline != o.deadline ? deadline > o.deadline : seq > o.seq; }
};

struct Fault {
	const sys_service *sys = nullptr;
	bio_device *inner = nullptr;
	std::string ctl_path, ctl_dir, ctl_name;
	sys_task_t *task = nullptr;
	int ino = -1;
	sys_fd_watch_t *watch = nullptr;
	sys_alarm_t *alarm = nullptr;

	std::mutex m; // rules, counter, held, delayed
	Rules rules;
	uint64_t matched = 0;
	std::vector<Shadow *> held;
	std::priority_queue<Delayed, std::vector<Delayed>, std::greater<Delayed>> delayed;
	uint64_t seq = 0;
	bio::InFlight inflight;

	void submit(bio_request *req);
	void forward(Shadow *s) { bio_submit(inner, &s->inner); }
	void done(Shadow *s, int status);
	void finish(Shadow *s);
	int load(bool at_open, std::string *why);
	void write_state(uint64_t gen, const std::string &status);
	void release_held();
};

void shadow_end_io(bio_request *r, int status)
{
	auto *s = reinterpret_cast<Shadow *>(r); // inner is the first member
	s->f->done(s, status);
}

void Fault::finish(Shadow *s)
{
	bio_request *orig = s->orig;
	int status = s->status;
	sys->mem_free(s);
	orig->end_io(orig, status);
	inflight.put();
}

void Fault::done(Shadow *s, int status)
{
	s->status = status;
	if (s->deadline) {
		uint64_t now = sys->time_mono_ns();
		if (now < s->deadline) {
			std::lock_guard<std::mutex> g(m);
			bool first = delayed.empty() || s->deadline < delayed.top().deadline;
			delayed.push({s->deadline, seq++, s});
			if (first)
				sys->alarm_arm(alarm, s->deadline);
			return;
		}
	}
	finish(s);
}

void on_alarm(void *arg)
{
	auto *f = static_cast<Fault *>(arg);
	std::vector<Shadow *> due;
	{
		std::lock_guard<std::mutex> g(f->m);
		uint64_t now = f->sys->time_mono_ns();
		while (!f->delayed.empty() && f->delayed.top().deadline <= now) {
			due.push_back(f->delayed.top().s);
			f->delayed.pop();
		}
		if (!f->delayed.empty())
			f->sys->alarm_arm(f->alarm, f->delayed.top().deadline);
	}
	for (Shadow *s : due)
		f->finish(s);
}

void Fault::submit(bio_request *req)
{
	inflight.get();
	auto *s = static_cast<Shadow *>(sys->mem_zalloc(sizeof(Shadow), 0, BIO_HERE));
	if (!s) {
		inflight.put();
		req->end_io(req, -ENOMEM);
		return;
	}
	s->inner.op = req->op;
	s->inner.flags = req->flags;
	s->inner.offset = req->offset;
	s->inner.length = req->length;
	s->inner.iov = req->iov;
	s->inner.iovcnt = req->iovcnt;
	s->inner.end_io = shadow_end_io;
	s->orig = req;
	s->f = this;

	unsigned cls = req->op == BIO_OP_READ ? E_READ : req->op == BIO_OP_FLUSH ? E_FLUSH : E_WRITE;
	bool fail = false;
	{
		std::lock_guard<std::mutex> g(m);
		if (rules.latency_ns)
			s->deadline = sys->time_mono_ns() + rules.latency_ns;
		if (rules.error_ops & cls) {
			bool in_range = cls == E_FLUSH;
			if (!in_range) {
				uint64_t first = req->offset >> BIO_SECTOR_SHIFT;
				uint64_t end = (req->offset + req->length + BIO_SECTOR_SIZE - 1) >> BIO_SECTOR_SHIFT;
				in_range = first < rules.sec_end && end > rules.sec_start;
			}
			if (in_range) {
				if (matched < rules.error_after)
					matched++;
				else
					fail = true;
			}
		}
		if (!fail && rules.hang) {
			held.push_back(s);
			return;
		}
		if (fail)
			s->status = -rules.err;
	}
	if (fail)
		done(s, s->status);
	else
		forward(s);
}

void Fault::release_held()
{
	std::vector<Shadow *> go;
	{
		std::lock_guard<std::mutex> g(m);
		go.swap(held);
	}
	for (Shadow *s : go)
		forward(s);
}

void Fault::write_state(uint64_t gen, const std::string &status)
{
	if (ctl_path.empty())
		return;
	std::string tmp = ctl_path + ".state.tmp", dst = ctl_path + ".state";
	FILE *fp = fopen(tmp.c_str(), "we");
	if (!fp)
		return;
	fprintf(fp, "generation=%" PRIu64 "\nstatus=%s\n", gen, status.c_str());
	if (fclose(fp) == 0)
		rename(tmp.c_str(), dst.c_str());
}

// Read the control file and install it.  A missing file means "no faults".
int Fault::load(bool at_open, std::string *why)
{
	Rules r;
	std::ifstream in(ctl_path);
	if (in) {
		std::stringstream ss;
		ss << in.rdbuf();
		if (!parse_rules(ss.str(), &r, why)) {
			uint64_t gen;
			{
				std::lock_guard<std::mutex> g(m);
				gen = rules.generation;
			}
			if (!at_open) {
				bio::log(sys, SYS_LOG_ERROR, "fault: %s: %s (previous state kept)", ctl_path.c_str(),
					 why->c_str());
				write_state(gen, "error: " + *why);
			}
			return -EINVAL;
		}
	}
	bool release;
	{
		std::lock_guard<std::mutex> g(m);
		release = rules.hang && !r.hang;
		rules = r;
		matched = 0;
	}
	if (release)
		release_held();
	if (!at_open) {
		bio::log(sys, SYS_LOG_INFO, "fault: %s applied (generation %" PRIu64 ")", ctl_path.c_str(),
			 r.generation);
		write_state(r.generation, "ok");
	}
	return 0;
}

void on_inotify(void *arg, int fd, uint32_t)
{
	auto *f = static_cast<Fault *>(arg);
	alignas(inotify_event) char buf[4096];
	bool reload = false;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n <= 0)
			break;
		for (char *p = buf; p < buf + n;) {
			auto *ev = reinterpret_cast<inotify_event *>(p);
			if (ev->len && f->ctl_name == ev->name)
				reload = true;
			p += sizeof(inotify_event) + ev->len;
		}
	}
	if (reload) {
		std::string why;
		f->load(false, &why);
	}
}

void teardown(Fault *f)
{
	if (f->watch)
		f->sys->fd_watch_destroy(f->watch);
	if (f->alarm)
		f->sys->alarm_destroy(f->alarm);
	if (f->task)
		f->sys->task_destroy(f->task);
	if (f->ino >= 0)
		close(f->ino);
	if (f->inner)
		bio_close(f->inner);
	bio::destroy(f->sys, f);
}

// The options for the inner backend: all but inner= and control=.
std::string inner_options(const bio_open_args *args)
{
	std::string rest;
	for (size_t i = 0; i < args->nopts; i++) {
		std::string k = args->opts[i].key;
		if (k == "inner" || k == "control")
			continue;
		rest += (rest.empty() ? "" : ",") + k +
			(args->opts[i].value[0] ? "=" + std::string(args->opts[i].value) : "");
	}
	return rest;
}

int fault_check(const bio_open_args *args)
{
	bio::Options o(args);
	const char *inner = o.get("inner");
	if (!inner || !*inner)
		return bio::fail(args, -EINVAL, "fault: inner= is required (the backend to wrap)");
	if (!strcmp(inner, "fault"))
		return bio::fail(args, -EINVAL, "fault: inner=fault is not supported");
	const char *ctl = o.get("control");
	if (ctl && !*ctl)
		return bio::fail(args, -EINVAL, "fault: control= needs a path");
	if (ctl) {
		std::ifstream in(ctl);
		if (in) {
			std::stringstream ss;
			ss << in.rdbuf();
			Rules r;
			std::string why;
			if (!parse_rules(ss.str(), &r, &why))
				return bio::fail(args, -EINVAL, "fault: %s: %s", ctl, why.c_str());
		}
	}
	return bio_check(inner, inner_options(args).c_str(), args->err, args->errlen);
}

int fault_open(bio_device *dev, const bio_open_args *args)
{
	bio::Options o(args);
	const char *inner = o.get("inner");
	if (!inner || !*inner)
		return bio::fail(args, -EINVAL, "fault: inner= is required (the backend to wrap)");
	if (!strcmp(inner, "fault"))
		return bio::fail(args, -EINVAL, "fault: inner=fault is not supported");
	const char *ctl = o.get("control");
	if (ctl && !*ctl)
		return bio::fail(args, -EINVAL, "fault: control= needs a path");

	Fault *f = bio::make<Fault>(args->sys, BIO_HERE);
	if (!f)
		return bio::fail(args, -ENOMEM, "fault: out of memory");
	f->sys = args->sys;
	std::string why;
	if (ctl) {
		f->ctl_path = ctl;
		size_t slash = f->ctl_path.rfind('/');
		f->ctl_dir = slash == std::string::npos ? "." : slash == 0 ? "/" : f->ctl_path.substr(0, slash);
		f->ctl_name = slash == std::string::npos ? f->ctl_path : f->ctl_path.substr(slash + 1);
		// Validate the control file before the inner backend creates anything.
		if (f->load(true, &why) < 0) {
			bio::destroy(args->sys, f);
			return bio::fail(args, -EINVAL, "fault: %s: %s", ctl, why.c_str());
		}
	}

	std::string rest = inner_options(args);
	int rc = bio_open(&f->inner, args->sys, inner, rest.c_str(), args->err, args->errlen);
	if (rc < 0) {
		f->inner = nullptr;
		teardown(f);
		return rc; // the inner open wrote the reason
	}
	if ((rc = args->sys->task_create(&f->task, "fault", nullptr, nullptr)) < 0 ||
	    (rc = args->sys->alarm_create(&f->alarm, f->task, on_alarm, f)) < 0) {
		teardown(f);
		return bio::fail(args, rc, "fault: cannot start its task");
	}
	if (ctl) {
		f->ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (f->ino < 0 ||
		    inotify_add_watch(f->ino, f->ctl_dir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE) < 0 ||
		    (rc = args->sys->fd_watch_create(&f->watch, f->task, f->ino, SYS_FD_IN, on_inotify, f)) < 0) {
			rc = rc < 0 ? rc : -errno;
			teardown(f);
			return bio::fail(args, rc, "fault: cannot watch %s: %s", ctl, strerror(-rc));
		}
		// Read again now that changes are watched (one may have slipped in
		// between), which also publishes the state file.
		f->load(false, &why);
	}
	dev->priv = f;
	dev->size = f->inner->size;
	dev->caps = f->inner->caps;
	return 0;
}

void fault_close(bio_device *dev)
{
	auto *f = static_cast<Fault *>(dev->priv);
	{
		std::lock_guard<std::mutex> g(f->m);
		f->rules.hang = false; // nothing may stay held forever
	}
	f->release_held();
	f->inflight.wait_idle();
	teardown(f);
}

void fault_submit(bio_device *dev, bio_request *req)
{
	static_cast<Fault *>(dev->priv)->submit(req);
}

const char *const fault_keys[] = {"*", nullptr};

} // namespace

extern "C" const struct bio_backend_ops bio_fault_backend = {
	BIO_BACKEND_VERSION,
	sizeof(bio_backend_ops),
	"fault",
	"wraps inner=<backend>; errors, latency and hangs from control=<file>",
	fault_keys,
	fault_open,
	fault_close,
	fault_submit,
	nullptr,
	fault_check,
	{},
};

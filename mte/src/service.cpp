// service.cpp - the sys_service table: thin C entry points over the C++
// pieces (memory, clock, host_thread, event_task, log), plus open/close.
#include "mte/sys_service.h"

#include "clock.hpp"
#include "event_task.hpp"
#include "host_thread.hpp"
#include "log.hpp"
#include "memory.hpp"

#include <atomic>
#include <cerrno>
#include <mutex>
#include <new>

namespace mte {
namespace {

// Handles are our objects under the header's opaque names.
EventTask *task_of(sys_task_t *t)
{
	return reinterpret_cast<EventTask *>(t);
}
Call *call_of(sys_call_t *c)
{
	return reinterpret_cast<Call *>(c);
}
Alarm *alarm_of(sys_alarm_t *a)
{
	return reinterpret_cast<Alarm *>(a);
}
FdWatch *watch_of(sys_fd_watch_t *w)
{
	return reinterpret_cast<FdWatch *>(w);
}
HostThread *thread_of(sys_thread_t *t)
{
	return reinterpret_cast<HostThread *>(t);
}

// ---- memory --------------------------------------------------------------------
void *mem_alloc(size_t size, size_t align, const char *caller)
{
	return memory::alloc(size, align, caller, false);
}
void *mem_zalloc(size_t size, size_t align, const char *caller)
{
	return memory::alloc(size, align, caller, true);
}
void *mem_realloc(void *ptr, size_t size, const char *caller)
{
	return memory::realloc(ptr, size, caller);
}
void mem_free(void *ptr)
{
	memory::free(ptr);
}
size_t mem_size(const void *ptr)
{
	return memory::size(ptr);
}

// ---- threads -------------------------------------------------------------------
int thread_create(sys_thread_t **out, const char *name, sys_thread_fn fn, void *arg)
{
	HostThread *t;
	int rc = HostThread::start(name, fn, arg, &t);
	if (rc == 0)
		*out = reinterpret_cast<sys_thread_t *>(t);
	return rc;
}
int thread_join(sys_thread_t *t, void **result)
{
	return thread_of(t)->join(result);
}
sys_thread_t *thread_self()
{
	return reinterpret_cast<sys_thread_t *>(HostThread::self());
}
const char *thread_name(const sys_thread_t *t)
{
	return reinterpret_cast<const HostThread *>(t)->name();
}

// ---- tasks ---------------------------------------------------------------------
int task_create(sys_task_t **out, const char *name, sys_call_cb wake_cb, void *wake_arg)
{
	if (!out)
		return -EINVAL;
	// create() publishes the handle before the task thread starts.
	return EventTask::create(name, wake_cb, wake_arg, reinterpret_cast<EventTask **>(out));
}
void task_destroy(sys_task_t *t)
{
	task_of(t)->destroy();
}
sys_task_t *task_current()
{
	return reinterpret_cast<sys_task_t *>(EventTask::current());
}
void task_wake(sys_task_t *t)
{
	task_of(t)->wake();
}

int fd_watch_create(sys_fd_watch_t **out, sys_task_t *task, int fd, uint32_t events, sys_fd_cb cb, void *arg)
{
	if (!out || !task || !cb || fd < 0 || (events & ~(SYS_FD_IN | SYS_FD_OUT)))
		return -EINVAL;
	std::shared_ptr<FdWatch> w;
	try {
		w = std::make_shared<FdWatch>();
		w->task = task_of(task)->shared_from_this();
	} catch (const std::bad_alloc &) {
		return -ENOMEM;
	}
	w->fd = fd;
	w->cb = cb;
	w->arg = arg;
	w->events = events;
	w->owner_ref = w;
	// Publish the handle before the watch can first fire, so that its
	// callback may use the handle stored in *out (watch_start's post is the
	// hand-over to the task thread).
	*out = reinterpret_cast<sys_fd_watch_t *>(w.get());
	int rc = w->task->watch_start(w.get());
	if (rc != 0) {
		*out = nullptr;
		w->owner_ref.reset();
		return rc;
	}
	return 0;
}
int fd_watch_modify(sys_fd_watch_t *w, uint32_t events)
{
	if (events & ~(SYS_FD_IN | SYS_FD_OUT))
		return -EINVAL;
	return watch_of(w)->task->watch_modify(watch_of(w), events);
}
void fd_watch_destroy(sys_fd_watch_t *h)
{
	if (!h)
		return;
	FdWatch *w = watch_of(h);
	// Handlers still queued on the task may hold references; the object
	// goes when the last of them does.
	std::shared_ptr<FdWatch> ref = std::move(w->owner_ref);
	w->task->watch_destroy(w);
}

int alarm_create(sys_alarm_t **out, sys_task_t *task, sys_alarm_cb cb, void *arg)
{
	if (!out || !task || !cb)
		return -EINVAL;
	auto *a = new (std::nothrow) Alarm;
	if (!a)
		return -ENOMEM;
	a->task = task_of(task)->shared_from_this();
	a->cb = cb;
	a->arg = arg;
	*out = reinterpret_cast<sys_alarm_t *>(a);
	return 0;
}
int alarm_arm(sys_alarm_t *a, uint64_t deadline_ns)
{
	return alarm_of(a)->task->alarm_arm(alarm_of(a), deadline_ns);
}
int alarm_cancel(sys_alarm_t *a)
{
	return alarm_of(a)->task->alarm_cancel(alarm_of(a));
}
void alarm_destroy(sys_alarm_t *h)
{
	if (!h)
		return;
	Alarm *a = alarm_of(h);
	a->task->alarm_cancel(a);
	delete a;
}

bool valid_prio(int prio)
{
	return prio == SYS_PRIO_NORMAL || prio == SYS_PRIO_LOW;
}

int call_create(sys_call_t **out, sys_task_t *task, int prio, sys_call_cb cb, void *arg)
{
	if (!out || !task || !cb || !valid_prio(prio))
		return -EINVAL;
	auto *c = new (std::nothrow) Call;
	if (!c)
		return -ENOMEM;
	c->task = task_of(task)->shared_from_this();
	c->prio = prio;
	c->cb = cb;
	c->arg = arg;
	*out = reinterpret_cast<sys_call_t *>(c);
	return 0;
}
int call_post(sys_call_t *c)
{
	return call_of(c)->task->call_post(call_of(c));
}
int call_cancel(sys_call_t *c)
{
	return call_of(c)->task->call_cancel(call_of(c));
}
void call_destroy(sys_call_t *h)
{
	if (!h)
		return;
	Call *c = call_of(h);
	c->task->call_cancel(c);
	delete c;
}
int task_post(sys_task_t *task, int prio, sys_call_cb cb, void *arg)
{
	if (!task || !cb || !valid_prio(prio))
		return -EINVAL;
	return task_of(task)->post_oneshot(prio, cb, arg);
}

// ---- logging -------------------------------------------------------------------
void log_write(int level, const char *component, const char *msg, size_t len)
{
	log::write(level, component ? component : "?", std::string_view(msg ? msg : "", msg ? len : 0));
}
int log_enabled(int level)
{
	return log::enabled(level) ? 1 : 0;
}
void log_set_level(int level)
{
	log::set_level(level);
}
void backtrace()
{
	log::backtrace(SYS_LOG_ERROR);
}
[[noreturn]] void fatal(const char *where, const char *msg)
{
	log::fatal(where, msg);
}

const sys_service kTable = [] {
	sys_service s{};
	s.version = SYS_SERVICE_VERSION;
	s.size = sizeof(sys_service);
	s.mem_alloc = mem_alloc;
	s.mem_zalloc = mem_zalloc;
	s.mem_realloc = mem_realloc;
	s.mem_free = mem_free;
	s.mem_size = mem_size;
	s.time_mono_ns = [] { return mono_ns(); };
	s.time_wall_ns = [] { return wall_ns(); };
	s.thread_create = thread_create;
	s.thread_join = thread_join;
	s.thread_self = thread_self;
	s.thread_name = thread_name;
	s.tls_create = tls::create;
	s.tls_destroy = tls::destroy;
	s.tls_get = tls::get;
	s.tls_set = tls::set;
	s.task_create = task_create;
	s.task_destroy = task_destroy;
	s.task_current = task_current;
	s.task_wake = task_wake;
	s.fd_watch_create = fd_watch_create;
	s.fd_watch_modify = fd_watch_modify;
	s.fd_watch_destroy = fd_watch_destroy;
	s.alarm_create = alarm_create;
	s.alarm_arm = alarm_arm;
	s.alarm_cancel = alarm_cancel;
	s.alarm_destroy = alarm_destroy;
	s.call_create = call_create;
	s.call_post = call_post;
	s.call_cancel = call_cancel;
	s.call_destroy = call_destroy;
	s.task_post = task_post;
	s.log_write = log_write;
	s.log_enabled = log_enabled;
	s.log_set_level = log_set_level;
	s.backtrace = backtrace;
	s.fatal = fatal;
	return s;
}();

// open/close are serialised; g_open is also read lock-free by sys_service_get.
std::mutex g_open_mu;
std::atomic<const sys_service *> g_open{nullptr};
sys_service_params g_params{};

void write_leak_report(const memory::LeakSummary &sum, int policy)
{
	if (policy < 0 || (policy == 0 && sum.blocks == 0))
		return;
	const int level = sum.blocks ? SYS_LOG_WARN : SYS_LOG_INFO;
	log::logf(level, "leak report: {} blocks, {} bytes still allocated", sum.blocks, sum.bytes);
	constexpr size_t kTop = 10;
	for (size_t i = 0; i < sum.callers.size() && i < kTop; i++) {
		const memory::CallerLeak &c = sum.callers[i];
		log::logf(level, "leak report: #{} {}: {} blocks, {} bytes", i + 1, c.caller, c.blocks, c.bytes);
	}
	if (sum.callers.size() > kTop)
		log::logf(level, "leak report: ... and {} more callers", sum.callers.size() - kTop);
}

} // namespace
} // namespace mte

extern "C" const struct sys_service *sys_service_open(uint32_t client_version, const struct sys_service_params *params,
						      int *err)
{
	int dummy;
	if (!err)
		err = &dummy;
	if (client_version != SYS_SERVICE_VERSION) {
		*err = -EPROTO;
		return nullptr;
	}
	std::lock_guard lk(mte::g_open_mu);
	if (mte::g_open.load(std::memory_order_acquire)) {
		*err = -EALREADY;
		return nullptr;
	}
	mte::g_params = params ? *params : sys_service_params{SYS_LOG_INFO, nullptr, 0, 0};
	int rc = mte::log::open(mte::g_params.log_level, mte::g_params.log_path);
	if (rc != 0) {
		*err = rc;
		return nullptr;
	}
	mte::g_params.log_path = nullptr; // not ours to keep
	if (params && params->catch_fatal_signals)
		mte::log::install_fatal_signal_handlers(params->log_path);
	mte::memory::begin_session();
	mte::log::logf(SYS_LOG_DEBUG, "sys_service v{} open", SYS_SERVICE_VERSION);
	mte::g_open.store(&mte::kTable, std::memory_order_release);
	*err = 0;
	return &mte::kTable;
}

extern "C" void sys_service_close(struct sys_service_leaks *leaks)
{
	std::lock_guard lk(mte::g_open_mu);
	if (!mte::g_open.load(std::memory_order_acquire)) {
		if (leaks)
			*leaks = {};
		return;
	}
	if (size_t n = mte::EventTask::destroy_all())
		mte::log::logf(SYS_LOG_WARN, "sys_service_close: destroyed {} task(s) still running", n);
	if (uint64_t n = mte::HostThread::live_count())
		mte::log::logf(SYS_LOG_WARN, "sys_service_close: {} thread(s) never joined", n);
	mte::memory::LeakSummary sum = mte::memory::summarize();
	mte::write_leak_report(sum, mte::g_params.leak_report);
	if (leaks) {
		leaks->blocks = sum.blocks;
		leaks->bytes = sum.bytes;
	}
	mte::log::restore_fatal_signal_handlers();
	mte::g_open.store(nullptr, std::memory_order_release);
	mte::log::close();
}

extern "C" const struct sys_service *sys_service_get(void)
{
	return mte::g_open.load(std::memory_order_acquire);
}

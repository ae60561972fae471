// sys_service_open / sys_service_close / sys_service_get, the leak report,
// log_*, backtrace, fatal.
#include "helpers.hpp"

#include "test_hooks.hpp"

#include <map>
#include <thread>

#include <atomic>
#include <chrono>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace t {
namespace {

sys_service_params quiet_params()
{
	sys_service_params p{};
	p.log_level = SYS_LOG_WARN;
	return p;
}

TEST(Service, WrongClientVersionIsRefused)
{
	sys_service_params p = quiet_params();
	int err = 0;
	EXPECT_EQ(sys_service_open(SYS_SERVICE_VERSION + 1, &p, &err), nullptr);
	EXPECT_EQ(err, -EPROTO);
	EXPECT_EQ(sys_service_open(0, &p, &err), nullptr);
	EXPECT_EQ(err, -EPROTO);
	EXPECT_EQ(sys_service_get(), nullptr);
}

TEST(Service, OpenTwiceIsEalreadyAndReopenAfterCloseWorks)
{
	sys_service_params p = quiet_params();
	int err = 1;
	const sys_service *s = sys_service_open(SYS_SERVICE_VERSION, &p, &err);
	ASSERT_NE(s, nullptr);
	EXPECT_EQ(err, 0);
	EXPECT_EQ(sys_service_get(), s);
	EXPECT_EQ(sys_service_open(SYS_SERVICE_VERSION, &p, &err), nullptr);
	EXPECT_EQ(err, -EALREADY);
	sys_service_close(nullptr);
	EXPECT_EQ(sys_service_get(), nullptr);
	s = sys_service_open(SYS_SERVICE_VERSION, nullptr, &err); // params may be NULL
	ASSERT_NE(s, nullptr);
	sys_service_close(nullptr);
}

TEST(Service, TableIsCompleteAndVersioned)
{
	sys_service_params p = quiet_params();
	int err;
	const sys_service *s = sys_service_open(SYS_SERVICE_VERSION, &p, &err);
	ASSERT_NE(s, nullptr);
	EXPECT_EQ(s->version, SYS_SERVICE_VERSION);
	EXPECT_EQ(s->size, sizeof(sys_service));
	// Every member between the header and the reserved slots is set ...
	auto *first = reinterpret_cast<void (*const *)(void)>(reinterpret_cast<const char *>(s) + 8);
	auto *reserved = s->reserved;
	for (auto *m = first; m < reserved; m++)
		EXPECT_NE(*m, nullptr) << "member " << (m - first) << " is NULL";
	// ... and the reserved ones are not.
	for (auto *m = reserved; m < reserved + 24; m++)
		EXPECT_EQ(*m, nullptr);
	sys_service_close(nullptr);
}

// Release each task's gate only once close has marked that task shut down:
// then everything queued behind the gate is pending at shutdown.
std::map<const void *, Gate *> *g_gates;
void release_gate_of(const void *task)
{
	g_gates->at(task)->release.post();
}

TEST(Service, CloseDestroysRemainingTasksWithoutRunningPendingWork)
{
	sys_service_params p = quiet_params();
	p.leak_report = -1;
	int err;
	const sys_service *s = sys_service_open(SYS_SERVICE_VERSION, &p, &err);
	ASSERT_NE(s, nullptr);
	std::atomic<int> ran{0};
	auto count = [](void *a) { static_cast<std::atomic<int> *>(a)->fetch_add(1); };
	std::vector<sys_call_t *> calls{};
	std::vector<sys_alarm_t *> alarms{};
	std::vector<std::unique_ptr<Gate>> gates{};
	std::map<const void *, Gate *> gate_of;
	for (int t = 0; t < 3; t++) {
		sys_task_t *task;
		ASSERT_EQ(s->task_create(&task, "left-open", count, &ran), 0);
		gates.push_back(std::make_unique<Gate>());
		gate_of[task] = gates.back().get();
		ASSERT_EQ(s->task_post(task, SYS_PRIO_NORMAL, Gate::cb, gates.back().get()), 0);
		ASSERT_TRUE(gates.back()->entered.wait());
		for (int i = 0; i < 10; i++)
			ASSERT_EQ(s->task_post(task, i % 2 ? SYS_PRIO_LOW : SYS_PRIO_NORMAL, count, &ran), 0);
		sys_call_t *c;
		ASSERT_EQ(s->call_create(&c, task, SYS_PRIO_NORMAL, count, &ran), 0);
		ASSERT_EQ(s->call_post(c), 1);
		calls.push_back(c);
		sys_alarm_t *a;
		ASSERT_EQ(s->alarm_create(&a, task, count, &ran), 0);
		ASSERT_EQ(s->alarm_arm(a, 0), 0);
		alarms.push_back(a);
		s->task_wake(task);
	}
	g_gates = &gate_of;
	mte::test_hooks::after_shutdown_marked = release_gate_of;
	sys_service_close(nullptr); // must not hang on the held tasks
	mte::test_hooks::after_shutdown_marked = nullptr;
	EXPECT_EQ(ran.load(), 0);
	EXPECT_EQ(sys_service_get(), nullptr);
	// The handles stay destroyable (and LeakSanitizer sees nothing left).
	for (auto *c : calls)
		s->call_destroy(c);
	for (auto *a : alarms)
		s->alarm_destroy(a);
}

TEST(Service, LeakReportCountsADeliberateLeakAndNamesTheCaller)
{
	std::string log = temp_path("leak");
	sys_service_params p{};
	p.log_level = SYS_LOG_INFO;
	p.log_path = log.c_str();
	p.leak_report = 0;
	int err;
	const sys_service *s = sys_service_open(SYS_SERVICE_VERSION, &p, &err);
	ASSERT_NE(s, nullptr);
	static const char kLeaky[] = "leaky.c:42";
	static const char kSmall[] = "small.c:7";
	static const char kFreed[] = "freed.c:1";
	void *a = s->mem_alloc(1000, 0, kLeaky);
	void *b = s->mem_zalloc(3000, 64, kLeaky);
	void *c = s->mem_alloc(10, 0, kSmall);
	void *d = s->mem_alloc(5000, 0, kFreed);
	s->mem_free(d);
	void *e = s->mem_realloc(s->mem_alloc(7, 0, kFreed), 20, kSmall); // attribution moves
	sys_service_leaks leaks{};
	sys_service_close(&leaks);
	EXPECT_EQ(leaks.blocks, 4u);
	EXPECT_EQ(leaks.bytes, 1000u + 3000u + 10u + 20u);
	std::string text = read_file(log);
	EXPECT_NE(text.find("leak report: 4 blocks, 4030 bytes"), std::string::npos) << text;
	EXPECT_NE(text.find("#1 leaky.c:42: 2 blocks, 4000 bytes"), std::string::npos) << text;
	EXPECT_NE(text.find("#2 small.c:7: 2 blocks, 30 bytes"), std::string::npos) << text;
	EXPECT_EQ(text.find("freed.c"), std::string::npos) << text;
	// Blocks may still be freed after close (they are no longer counted).
	for (void *blk : {a, b, c, e})
		s->mem_free(blk);
	unlink(log.c_str());
}

TEST(Service, LeaksOfExitedThreadsAreCountedAndSessionsStartAtZero)
{
	sys_service_params p = quiet_params();
	p.leak_report = -1;
	int err;
	const sys_service *s = sys_service_open(SYS_SERVICE_VERSION, &p, &err);
	ASSERT_NE(s, nullptr);
	void *leaked[3];
	std::thread([&] {
		for (void *&b : leaked)
			b = s->mem_alloc(50, 0, "exited.c:9");
	}).join();
	sys_service_leaks leaks{};
	sys_service_close(&leaks);
	EXPECT_EQ(leaks.blocks, 3u);
	EXPECT_EQ(leaks.bytes, 150u);
	// A new session starts from zero, and freeing the old blocks in it does
	// not drive anything negative.
	s = sys_service_open(SYS_SERVICE_VERSION, &p, &err);
	ASSERT_NE(s, nullptr);
	for (void *b : leaked)
		s->mem_free(b);
	void *fresh = s->mem_alloc(8, 0, "fresh.c:1");
	sys_service_close(&leaks);
	EXPECT_EQ(leaks.blocks, 1u);
	EXPECT_EQ(leaks.bytes, 8u);
	s->mem_free(fresh);
}

TEST(Service, LogWritesTaggedMessagesAtOrAboveTheLevel)
{
	std::string log = temp_path("log");
	sys_service_params p{};
	p.log_level = SYS_LOG_INFO;
	p.log_path = log.c_str();
	int err;
	const sys_service *s = sys_service_open(SYS_SERVICE_VERSION, &p, &err);
	ASSERT_NE(s, nullptr);
	EXPECT_FALSE(s->log_enabled(SYS_LOG_DEBUG));
	EXPECT_TRUE(s->log_enabled(SYS_LOG_INFO));
	EXPECT_TRUE(s->log_enabled(SYS_LOG_CRITICAL));
	const char msg1[] = "visible message\n";
	s->log_write(SYS_LOG_WARN, "drbd", msg1, strlen(msg1));
	s->log_write(SYS_LOG_DEBUG, "umc", "hidden", 6);
	s->log_write(SYS_LOG_INFO, "umc", "only-this-part-is-cut", 9); // len counts
	s->log_set_level(SYS_LOG_TRACE);
	EXPECT_TRUE(s->log_enabled(SYS_LOG_TRACE));
	s->log_write(SYS_LOG_TRACE, "umc", "now visible", 11);
	// From a task thread: the line carries the thread's name.
	sys_task_t *task;
	ASSERT_EQ(s->task_create(&task, "logger-task", nullptr, nullptr), 0);
	struct Ctx {
		const sys_service *s;
		Signal done;
	} ctx{s, {}};
	ASSERT_EQ(s->task_post(
			  task, SYS_PRIO_NORMAL,
			  [](void *a) {
				  auto *c = static_cast<Ctx *>(a);
				  c->s->log_write(SYS_LOG_INFO, "umc", "from a task", 11);
				  c->done.post();
			  },
			  &ctx),
		  0);
	ASSERT_TRUE(ctx.done.wait());
	s->task_destroy(task);
	s->log_set_level(SYS_LOG_OFF);
	EXPECT_FALSE(s->log_enabled(SYS_LOG_CRITICAL));
	s->log_write(SYS_LOG_CRITICAL, "umc", "off", 3);
	sys_service_close(nullptr);
	std::string text = read_file(log);
	EXPECT_NE(text.find("[drbd] visible message"), std::string::npos) << text;
	EXPECT_EQ(text.find("visible message\n\n"), std::string::npos) << "trailing newline kept";
	EXPECT_EQ(text.find("hidden"), std::string::npos) << text;
	EXPECT_NE(text.find("[umc] only-this"), std::string::npos) << text;
	EXPECT_EQ(text.find("only-this-"), std::string::npos) << text;
	EXPECT_NE(text.find("[umc] now visible"), std::string::npos) << text;
	EXPECT_NE(text.find("logger-task/"), std::string::npos) << text;
	EXPECT_NE(text.find("[umc] from a task"), std::string::npos) << text;
	EXPECT_EQ(text.find("] off"), std::string::npos) << text;
	unlink(log.c_str());
}

// An info line reaches the file while mte runs, without a warning after it
// to flush it (issue 14: lines appeared only with the next warning).
TEST(Service, LogFileIsFlushedWithoutAWarning)
{
	std::string log = temp_path("flush");
	sys_service_params p{};
	p.log_level = SYS_LOG_INFO;
	p.log_path = log.c_str();
	int err;
	const sys_service *s = sys_service_open(SYS_SERVICE_VERSION, &p, &err);
	ASSERT_NE(s, nullptr);
	s->log_write(SYS_LOG_INFO, "umc", "an info line", 12);
	// Bounded wait for the line to be in the file (it takes one flush
	// interval); the deadline only limits the failure case.
	bool seen = wait_until([&] { return read_file(log).find("[umc] an info line") != std::string::npos; }, 10s);
	EXPECT_TRUE(seen) << "info line still buffered after 10 s: " << read_file(log);
	sys_service_close(nullptr);
	unlink(log.c_str());
}

TEST(Service, LogLevelFromEnvironmentWhenAskedFor)
{
	sys_service_params p{};
	p.log_level = -1;
	setenv("MTE_LOG_LEVEL", "error", 1);
	int err;
	const sys_service *s = sys_service_open(SYS_SERVICE_VERSION, &p, &err);
	ASSERT_NE(s, nullptr);
	EXPECT_FALSE(s->log_enabled(SYS_LOG_WARN));
	EXPECT_TRUE(s->log_enabled(SYS_LOG_ERROR));
	sys_service_close(nullptr);
	unsetenv("MTE_LOG_LEVEL");
	s = sys_service_open(SYS_SERVICE_VERSION, &p, &err);
	ASSERT_NE(s, nullptr);
	EXPECT_FALSE(s->log_enabled(SYS_LOG_DEBUG)); // default INFO
	EXPECT_TRUE(s->log_enabled(SYS_LOG_INFO));
	sys_service_close(nullptr);
}

TEST(Service, BacktraceWritesTheStackAtError)
{
	std::string log = temp_path("bt");
	sys_service_params p{};
	p.log_level = SYS_LOG_INFO;
	p.log_path = log.c_str();
	int err;
	const sys_service *s = sys_service_open(SYS_SERVICE_VERSION, &p, &err);
	ASSERT_NE(s, nullptr);
	s->backtrace();
	sys_service_close(nullptr);
	std::string text = read_file(log);
	EXPECT_NE(text.find("error"), std::string::npos) << text;
	EXPECT_NE(text.find("backtrace of thread"), std::string::npos) << text;
	EXPECT_NE(text.find("#0"), std::string::npos) << text;
	unlink(log.c_str());
}

TEST(ServiceDeathTest, FatalLogsAndAborts)
{
	GTEST_FLAG_SET(death_test_style, "threadsafe");
	EXPECT_DEATH(
		{
			sys_service_params p{};
			p.log_level = SYS_LOG_INFO;
			int err;
			const sys_service *s = sys_service_open(SYS_SERVICE_VERSION, &p, &err);
			s->fatal("where.c:12", "something impossible");
		},
		"FATAL at where.c:12: something impossible");
}

#ifndef UMC_SANITIZER
TEST(ServiceDeathTest, FatalSignalHandlerPrintsABacktrace)
{
	GTEST_FLAG_SET(death_test_style, "threadsafe");
	EXPECT_DEATH(
		{
			sys_service_params p{};
			p.log_level = SYS_LOG_INFO;
			p.catch_fatal_signals = 1;
			int err;
			sys_service_open(SYS_SERVICE_VERSION, &p, &err);
			raise(SIGBUS);
		},
		"fatal signal SIGBUS");
}
#endif

} // namespace
} // namespace t

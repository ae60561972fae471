// time_mono_ns / time_wall_ns, thread_*, tls_*.
#include "helpers.hpp"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <pthread.h>
#include <thread>

namespace t {
namespace {

class Clock : public MteTest {};
class Threads : public MteTest {};
class Tls : public MteTest {};

uint64_t host_ns(clockid_t id)
{
	timespec ts;
	clock_gettime(id, &ts);
	return uint64_t(ts.tv_sec) * 1000000000u + uint64_t(ts.tv_nsec);
}

TEST_F(Clock, MonotonicTracksClockMonotonicAndNeverGoesBack)
{
	uint64_t before = host_ns(CLOCK_MONOTONIC);
	uint64_t prev = s->time_mono_ns();
	for (int i = 0; i < 100000; i++) {
		uint64_t now = s->time_mono_ns();
		ASSERT_GE(now, prev);
		prev = now;
	}
	uint64_t after = host_ns(CLOCK_MONOTONIC);
	EXPECT_GE(prev, before);
	EXPECT_LE(prev, after);
}

TEST_F(Clock, WallIsRealtimeSinceEpoch)
{
	uint64_t before = host_ns(CLOCK_REALTIME);
	uint64_t wall = s->time_wall_ns();
	uint64_t after = host_ns(CLOCK_REALTIME);
	EXPECT_GE(wall, before);
	EXPECT_LE(wall, after);
	EXPECT_GT(wall, 1600000000ull * 1000000000ull); // after 2020: really the epoch
}

struct ThreadProbe {
	const sys_service *s;
	sys_thread_t *self = nullptr;
	char comm[32] = {};
};

TEST_F(Threads, CreateNamesRunsAndJoinsWithResult)
{
	ThreadProbe probe{s};
	sys_thread_t *t = nullptr;
	const char *long_name = "mte-a-rather-long-thread-name";
	ASSERT_EQ(s->thread_create(
			  &t, long_name,
			  [](void *a) -> void * {
				  auto *p = static_cast<ThreadProbe *>(a);
				  p->self = p->s->thread_self();
				  pthread_getname_np(pthread_self(), p->comm, sizeof p->comm);
				  return reinterpret_cast<void *>(uintptr_t(42));
			  },
			  &probe),
		  0);
	ASSERT_NE(t, nullptr);
	EXPECT_STREQ(s->thread_name(t), long_name);
	void *result = nullptr;
	ASSERT_EQ(s->thread_join(t, &result), 0);
	EXPECT_EQ(result, reinterpret_cast<void *>(uintptr_t(42)));
	EXPECT_EQ(probe.self, t);
	EXPECT_EQ(std::string(probe.comm), std::string(long_name).substr(0, 15));
}

TEST_F(Threads, JoinWithNullResult)
{
	sys_thread_t *t = nullptr;
	ASSERT_EQ(s->thread_create(
			  &t, "x", [](void *) -> void * { return nullptr; }, nullptr),
		  0);
	EXPECT_EQ(s->thread_join(t, nullptr), 0);
}

TEST_F(Threads, SelfIsNullForForeignThreads)
{
	EXPECT_EQ(s->thread_self(), nullptr);
	sys_thread_t *seen = reinterpret_cast<sys_thread_t *>(1);
	std::thread([&] { seen = s->thread_self(); }).join();
	EXPECT_EQ(seen, nullptr);
}

TEST_F(Threads, JoiningSelfIsEdeadlk)
{
	struct Ctx {
		const sys_service *s;
		Signal created{};
		sys_thread_t *t = nullptr;
		int rc = 0;
	} ctx{s, {}};
	ASSERT_EQ(s->thread_create(
			  &ctx.t, "selfjoin",
			  [](void *a) -> void * {
				  auto *c = static_cast<Ctx *>(a);
				  EXPECT_TRUE(c->created.wait());
				  c->rc = c->s->thread_join(c->s->thread_self(), nullptr);
				  return nullptr;
			  },
			  &ctx),
		  0);
	ctx.created.post();
	ASSERT_EQ(s->thread_join(ctx.t, nullptr), 0);
	EXPECT_EQ(ctx.rc, -EDEADLK);
}

TEST_F(Tls, SlotReadsNullUntilSetAndIsPerThread)
{
	sys_tls_key_t key;
	ASSERT_EQ(s->tls_create(&key, nullptr), 0);
	EXPECT_EQ(s->tls_get(key), nullptr);
	int mine = 1, theirs = 2;
	ASSERT_EQ(s->tls_set(key, &mine), 0);
	void *seen_before = &mine, *seen_after = nullptr;
	std::thread([&] {
		seen_before = s->tls_get(key);
		s->tls_set(key, &theirs);
		seen_after = s->tls_get(key);
	}).join();
	EXPECT_EQ(seen_before, nullptr);
	EXPECT_EQ(seen_after, &theirs);
	EXPECT_EQ(s->tls_get(key), &mine);
	s->tls_set(key, nullptr);
	s->tls_destroy(key);
}

struct DtorLog {
	std::mutex mu{};
	std::vector<void *> values{};
};
DtorLog *g_dtor_log;

TEST_F(Tls, DestructorsRunAtThreadExitForNonNullValues)
{
	DtorLog log;
	g_dtor_log = &log;
	sys_tls_key_t key, unset_key;
	auto dtor = [](void *v) {
		std::lock_guard lk(g_dtor_log->mu);
		g_dtor_log->values.push_back(v);
	};
	ASSERT_EQ(s->tls_create(&key, dtor), 0);
	ASSERT_EQ(s->tls_create(&unset_key, dtor), 0);
	static int a, b;

	// An mte thread ...
	sys_thread_t *t;
	struct Ctx {
		const sys_service *s;
		sys_tls_key_t key;
	} ctx{s, key};
	ASSERT_EQ(s->thread_create(
			  &t, "tls",
			  [](void *p) -> void * {
				  auto *c = static_cast<Ctx *>(p);
				  c->s->tls_set(c->key, &a);
				  return nullptr;
			  },
			  &ctx),
		  0);
	ASSERT_EQ(s->thread_join(t, nullptr), 0);
	// ... and a foreign one.
	std::thread([&] { s->tls_set(key, &b); }).join();

	{
		std::lock_guard lk(log.mu);
		ASSERT_EQ(log.values.size(), 2u); // nothing for unset_key
		EXPECT_EQ(log.values[0], &a);
		EXPECT_EQ(log.values[1], &b);
	}
	s->tls_destroy(key);
	s->tls_destroy(unset_key);
	g_dtor_log = nullptr;
}

TEST_F(Tls, DestroyedSlotRunsNoDestructor)
{
	static std::atomic<int> runs{0};
	sys_tls_key_t key;
	ASSERT_EQ(s->tls_create(&key, [](void *) { runs++; }), 0);
	Signal set{}, destroyed{};
	static int v;
	std::thread th([&] {
		s->tls_set(key, &v);
		set.post();
		EXPECT_TRUE(destroyed.wait());
	});
	ASSERT_TRUE(set.wait());
	s->tls_destroy(key);
	destroyed.post();
	th.join();
	EXPECT_EQ(runs.load(), 0);
}

} // namespace
} // namespace t

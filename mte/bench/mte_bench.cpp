// mte_bench - latency of mte's event paths, and the cost of its allocator.
//
//   BM_AlarmArmToFire   alarm armed on this thread for "now"; time until its
//                       callback runs on the task thread.
//   BM_AlarmTimerfdLateness  alarm armed 100 us ahead; how late it fires.
//   BM_TaskPostLatency  task_post from this thread; time until the callback
//                       runs on the task thread (allocates a queue node).
//   BM_CallPostLatency  the same with a pre-created sys_call_t (no allocation).
//   BM_WakeLatency      task_wake to wake_cb.
//   BM_PostThroughput   callbacks per second when one thread posts in bursts.
//   BM_MemAllocFree     mem_alloc + mem_free of one small block (vs malloc).
//
// Latency benchmarks report the mean as the benchmark time (manual timing)
// and p50/p99/max in ns as counters.  Run: ./mte_bench [--benchmark_filter=...]
#include "mte/sys_service.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <vector>

namespace {

const sys_service *service()
{
	static const sys_service *s = [] {
		sys_service_params p{};
		p.log_level = SYS_LOG_WARN;
		p.leak_report = 0;
		int err;
		const sys_service *t = sys_service_open(SYS_SERVICE_VERSION, &p, &err);
		if (!t)
			std::abort();
		std::atexit([] { sys_service_close(nullptr); });
		return t;
	}();
	return s;
}

// One callback's arrival: the task thread stores the time and flips a flag
// the benchmark thread sleeps on (std::atomic::wait is a futex wait).
struct Arrival {
	const sys_service *s = nullptr;
	std::atomic<uint64_t> at{0};
	std::atomic<uint32_t> seq{0};
	static void cb(void *arg)
	{
		auto *a = static_cast<Arrival *>(arg);
		a->at.store(a->s->time_mono_ns(), std::memory_order_relaxed);
		a->seq.fetch_add(1, std::memory_order_release);
		a->seq.notify_one();
	}
	uint64_t wait_after(uint32_t before)
	{
		seq.wait(before, std::memory_order_acquire);
		return at.load(std::memory_order_relaxed);
	}
};

void report(benchmark::State &state, std::vector<double> &ns)
{
	if (ns.empty())
		return;
	std::sort(ns.begin(), ns.end());
	auto pct = [&](double p) { return ns[std::min(ns.size() - 1, size_t(p * double(ns.size())))]; };
	state.counters["p50_ns"] = pct(0.50);
	state.counters["p99_ns"] = pct(0.99);
	state.counters["max_ns"] = ns.back();
}

template <typename Trigger> void latency_loop(benchmark::State &state, Arrival &arr, Trigger &&trigger)
{
	std::vector<double> samples;
	samples.reserve(1 << 16);
	for (auto _ : state) {
		uint32_t before = arr.seq.load(std::memory_order_relaxed);
		uint64_t t0 = arr.s->time_mono_ns();
		trigger(t0);
		uint64_t t1 = arr.wait_after(before);
		double ns = double(t1 - t0);
		samples.push_back(ns);
		state.SetIterationTime(ns / 1e9);
	}
	report(state, samples);
}

void BM_AlarmArmToFire(benchmark::State &state)
{
	const sys_service *s = service();
	sys_task_t *task;
	s->task_create(&task, "bench-alarm", nullptr, nullptr);
	Arrival arr;
	arr.s = s;
	sys_alarm_t *alarm;
	s->alarm_create(&alarm, task, Arrival::cb, &arr);
	latency_loop(state, arr, [&](uint64_t now) { s->alarm_arm(alarm, now); });
	s->alarm_destroy(alarm);
	s->task_destroy(task);
}
BENCHMARK(BM_AlarmArmToFire)->UseManualTime()->Iterations(20000)->Unit(benchmark::kMicrosecond);

// A deadline 100 us ahead goes through the timerfd: how late does it fire?
// (The kernel's default timer slack for ordinary threads is 50 us.)
void BM_AlarmTimerfdLateness(benchmark::State &state)
{
	const sys_service *s = service();
	sys_task_t *task;
	s->task_create(&task, "bench-timerfd", nullptr, nullptr);
	Arrival arr;
	arr.s = s;
	sys_alarm_t *alarm;
	s->alarm_create(&alarm, task, Arrival::cb, &arr);
	std::vector<double> samples;
	for (auto _ : state) {
		uint32_t before = arr.seq.load(std::memory_order_relaxed);
		uint64_t deadline = s->time_mono_ns() + 100'000;
		s->alarm_arm(alarm, deadline);
		uint64_t t1 = arr.wait_after(before);
		double ns = double(t1 - deadline);
		samples.push_back(ns);
		state.SetIterationTime(ns / 1e9);
	}
	report(state, samples);
	s->alarm_destroy(alarm);
	s->task_destroy(task);
}
BENCHMARK(BM_AlarmTimerfdLateness)->UseManualTime()->Iterations(5000)->Unit(benchmark::kMicrosecond);

void BM_TaskPostLatency(benchmark::State &state)
{
	const sys_service *s = service();
	sys_task_t *task;
	s->task_create(&task, "bench-post", nullptr, nullptr);
	Arrival arr;
	arr.s = s;
	latency_loop(state, arr, [&](uint64_t) { s->task_post(task, SYS_PRIO_NORMAL, Arrival::cb, &arr); });
	s->task_destroy(task);
}
BENCHMARK(BM_TaskPostLatency)->UseManualTime()->Iterations(20000)->Unit(benchmark::kMicrosecond);

void BM_CallPostLatency(benchmark::State &state)
{
	const sys_service *s = service();
	sys_task_t *task;
	s->task_create(&task, "bench-call", nullptr, nullptr);
	Arrival arr;
	arr.s = s;
	sys_call_t *call;
	s->call_create(&call, task, SYS_PRIO_NORMAL, Arrival::cb, &arr);
	latency_loop(state, arr, [&](uint64_t) { s->call_post(call); });
	s->call_destroy(call);
	s->task_destroy(task);
}
BENCHMARK(BM_CallPostLatency)->UseManualTime()->Iterations(20000)->Unit(benchmark::kMicrosecond);

void BM_WakeLatency(benchmark::State &state)
{
	const sys_service *s = service();
	Arrival arr;
	arr.s = s;
	sys_task_t *task;
	s->task_create(&task, "bench-wake", Arrival::cb, &arr);
	latency_loop(state, arr, [&](uint64_t) { s->task_wake(task); });
	s->task_destroy(task);
}
BENCHMARK(BM_WakeLatency)->UseManualTime()->Iterations(20000)->Unit(benchmark::kMicrosecond);

void BM_PostThroughput(benchmark::State &state)
{
	const sys_service *s = service();
	sys_task_t *task;
	s->task_create(&task, "bench-tput", nullptr, nullptr);
	const int burst = int(state.range(0));
	std::atomic<int> done{0};
	auto cb = [](void *a) {
		auto *d = static_cast<std::atomic<int> *>(a);
		d->fetch_add(1, std::memory_order_release);
		d->notify_one();
	};
	for (auto _ : state) {
		done.store(0, std::memory_order_relaxed);
		for (int i = 0; i < burst; i++)
			s->task_post(task, SYS_PRIO_NORMAL, cb, &done);
		for (int seen = done.load(std::memory_order_acquire); seen < burst;
		     seen = done.load(std::memory_order_acquire))
			done.wait(seen, std::memory_order_acquire);
	}
	state.SetItemsProcessed(int64_t(state.iterations()) * burst);
	s->task_destroy(task);
}
BENCHMARK(BM_PostThroughput)->Arg(1000)->Unit(benchmark::kMicrosecond);

void BM_MemAllocFree(benchmark::State &state)
{
	const sys_service *s = service();
	const size_t size = size_t(state.range(0));
	for (auto _ : state) {
		void *p = s->mem_alloc(size, 0, "bench.c:1");
		benchmark::DoNotOptimize(p);
		s->mem_free(p);
	}
}
BENCHMARK(BM_MemAllocFree)->Arg(64)->Arg(4096)->ThreadRange(1, 2);

void BM_MallocFree(benchmark::State &state)
{
	const size_t size = size_t(state.range(0));
	for (auto _ : state) {
		void *p = std::malloc(size);
		benchmark::DoNotOptimize(p);
		std::free(p);
	}
}
BENCHMARK(BM_MallocFree)->Arg(64)->Arg(4096)->ThreadRange(1, 2);

} // namespace

BENCHMARK_MAIN();

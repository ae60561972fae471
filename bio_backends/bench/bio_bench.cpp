// bio_bench: quick throughput figures for a backend (not a test).
//
//   bio_bench SPEC [read|write|randread|randwrite] [block_size] [queue_depth] [total]
//   bio_bench "uring:path=/tmp/x.img,create=1,size=1G" randwrite 4K 32 256M
//
// One submitting thread keeps `queue_depth` requests in flight (a closed
// loop: a completed slot is resubmitted); prints MiB/s, IOPS and the mean
// completion latency.
#include "bio_backends/bio_backend.h"
#include "mte/sys_service.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <random>
#include <string>
#include <vector>

namespace {

struct Slot {
	bio_request r{};
	iovec iov{};
	void *buf = nullptr;
	std::chrono::steady_clock::time_point t0;
};

std::mutex m;
std::condition_variable cv;
std::vector<Slot *> free_slots;
uint64_t completed = 0, failed = 0;
double lat_sum_us = 0;

void end_io(bio_request *r, int status)
{
	auto *s = static_cast<Slot *>(r->private_data);
	double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - s->t0).count();
	std::lock_guard<std::mutex> g(m);
	completed++;
	failed += status != 0;
	lat_sum_us += us;
	free_slots.push_back(s);
	cv.notify_one();
}

} // namespace

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s SPEC [read|write|randread|randwrite] [bs] [qd] [total]\n", argv[0]);
		return 2;
	}
	std::string mode = argc > 2 ? argv[2] : "randwrite";
	uint64_t bs = 4096, qd = 32, total = 256ull << 20;
	if (argc > 3)
		bio_parse_size(argv[3], &bs);
	if (argc > 4)
		qd = strtoull(argv[4], nullptr, 10);
	if (argc > 5)
		bio_parse_size(argv[5], &total);

	sys_service_params p{};
	p.log_level = SYS_LOG_WARN;
	p.leak_report = 0;
	int err;
	const sys_service *sys = sys_service_open(SYS_SERVICE_VERSION, &p, &err);
	if (!sys)
		return 1;
	bio_device *dev;
	char msg[256];
	if (bio_open_spec(&dev, sys, argv[1], msg, sizeof msg) < 0) {
		fprintf(stderr, "%s\n", msg);
		return 1;
	}
	bool rnd = mode.rfind("rand", 0) == 0, wr = mode.find("write") != std::string::npos;
	uint64_t blocks = dev->size / bs, n = total / bs;
	std::vector<Slot> slots(qd);
	for (auto &s : slots) {
		s.buf = aligned_alloc(4096, bs);
		memset(s.buf, 0x5a, bs);
		free_slots.push_back(&s);
	}
	std::mt19937_64 rng(42);
	auto t0 = std::chrono::steady_clock::now();
	for (uint64_t i = 0; i < n; i++) {
		Slot *s;
		{
			std::unique_lock<std::mutex> g(m);
			cv.wait(g, [] { return !free_slots.empty(); });
			s = free_slots.back();
			free_slots.pop_back();
		}
		uint64_t blk = rnd ? rng() % blocks : i % blocks;
		s->iov = {s->buf, bs};
		s->r = bio_request{};
		s->r.op = wr ? BIO_OP_WRITE : BIO_OP_READ;
		s->r.offset = blk * bs;
		s->r.length = bs;
		s->r.iov = &s->iov;
		s->r.iovcnt = 1;
		s->r.end_io = end_io;
		s->r.private_data = s;
		s->t0 = std::chrono::steady_clock::now();
		bio_submit(dev, &s->r);
	}
	{
		std::unique_lock<std::mutex> g(m);
		cv.wait(g, [&] { return completed == n; });
	}
	double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
	printf("%-10s %s bs=%llu qd=%llu: %.0f MiB/s, %.0f IOPS, mean latency %.1f us, %llu failed\n", mode.c_str(),
	       argv[1], (unsigned long long)bs, (unsigned long long)qd, n * bs / secs / (1 << 20), n / secs,
	       lat_sum_us / n, (unsigned long long)failed);
	bio_close(dev);
	for (auto &s : slots)
		free(s.buf);
	sys_service_close(nullptr);
	return failed ? 1 : 0;
}

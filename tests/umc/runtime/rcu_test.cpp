// RCU: synchronize_rcu waits for a reader inside its read section,
// call_rcu/kvfree_rcu run after a grace period, rcu_barrier, readers on
// threads umc did not create.
#include <atomic>
#include <gtest/gtest.h>
#include <thread>

#include "helpers.hpp"
#include "umc/mem.h"
#include "umc/rcu.h"
#include "umc/task.h"

namespace {

struct Gate {
	std::atomic<uint32_t> v{0};
	void open()
	{
		v = 1;
		umc_wake_word(reinterpret_cast<uint32_t *>(&v), INT32_MAX);
	}
	void wait()
	{
		while (!v.load())
			umc_wait_word(reinterpret_cast<uint32_t *>(&v), 0, 0);
	}
	bool is_open() const { return v.load(); }
};

TEST(Rcu, SynchronizeWaitsForReaderHoldingTheLock)
{
	Gate in_section, leave;
	std::atomic<bool> reader_left{false};
	std::atomic<bool> sync_returned{false};
	std::thread reader([&] { // a host thread: attached and registered lazily
		umc_rcu_read_lock();
		EXPECT_TRUE(umc_rcu_read_lock_held());
		in_section.open();
		leave.wait();
		// synchronize_rcu must still be waiting for us.
		EXPECT_FALSE(sync_returned.load());
		reader_left = true;
		umc_rcu_read_unlock();
	});
	in_section.wait();
	std::thread releaser([&] {
		// Let the writer enter synchronize_rcu first (best effort; the
		// assertion above holds regardless of the interleaving).
		std::this_thread::yield();
		leave.open();
	});
	umc_synchronize_rcu();
	sync_returned = true;
	EXPECT_TRUE(reader_left.load());
	releaser.join();
	reader.join();
}

struct Obj {
	umc_rcu_head head;
	std::atomic<int> *freed;
	int value;
};

TEST(Rcu, PublishReadReplaceFree)
{
	// The DRBD pattern: readers dereference a config under RCU while a
	// writer swaps it and frees the old one after synchronize_rcu.
	static std::atomic<Obj *> conf{nullptr};
	std::atomic<int> freed{0};
	conf.store(new Obj{{}, &freed, 0});
	std::atomic<bool> stop{false};
	std::atomic<long> reads{0};
	auto reader = [&] {
		while (!stop.load()) {
			umc_rcu_read_lock();
			Obj *o = conf.load(std::memory_order_acquire);
			int v = o->value; // ASan would catch a use after free
			EXPECT_GE(v, 0);
			umc_rcu_read_unlock();
			reads++;
		}
	};
	std::thread r1(reader), r2(reader);
	// At least 200 replacements, and until the readers got real work in.
	for (int i = 1; i <= 200 || reads.load() < 2000; i++) {
		Obj *old = conf.exchange(new Obj{{}, &freed, i}, std::memory_order_acq_rel);
		umc_synchronize_rcu();
		old->value = -1; // poison: a reader still inside would see it
		delete old;
	}
	stop = true;
	r1.join();
	r2.join();
	delete conf.load();
	EXPECT_GT(reads.load(), 0);
}

TEST(Rcu, CallRcuRunsAfterGracePeriodInOrder)
{
	static std::atomic<int> order{0};
	struct Cb {
		umc_rcu_head head;
		int seq = -1;
	} a, b;
	Gate in_section, leave;
	std::thread reader([&] {
		umc_rcu_read_lock();
		in_section.open();
		leave.wait();
		// The callbacks cannot have run while we are inside.
		EXPECT_EQ(a.seq, -1);
		EXPECT_EQ(b.seq, -1);
		umc_rcu_read_unlock();
	});
	in_section.wait();
	auto fn = [](umc_rcu_head *h) { reinterpret_cast<Cb *>(h)->seq = order++; };
	umc_call_rcu(&a.head, fn);
	umc_call_rcu(&b.head, fn);
	leave.open();
	reader.join();
	umc_rcu_barrier();
	EXPECT_EQ(a.seq, 0);
	EXPECT_EQ(b.seq, 1);
}

TEST(Rcu, KvfreeRcuFreesAfterBarrier)
{
	for (int i = 0; i < 100; i++)
		umc_kvfree_rcu(umc_kmalloc(64 + i, 0, "rcu_test"));
	umc_kvfree_rcu(umc_vmalloc(1 << 20, 0, "rcu_test"));
	umc_rcu_barrier(); // the env's leak check proves they were freed
}

TEST(Rcu, NestedReadSections)
{
	umc_rcu_read_lock();
	umc_rcu_read_lock();
	umc_rcu_read_unlock();
	EXPECT_TRUE(umc_rcu_read_lock_held());
	umc_rcu_read_unlock();
	EXPECT_FALSE(umc_rcu_read_lock_held());
	umc_synchronize_rcu(); // outside any section: fine
}

} // namespace

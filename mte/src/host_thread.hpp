// host_thread.hpp - a named, joinable host thread (sys_thread_t), and the
// per-thread data slots (sys_tls_key_t).
#pragma once

#include "mte/sys_service.h"

#include <pthread.h>

#include <atomic>
#include <cstdint>
#include <string>

namespace mte {

class HostThread {
public:
	// Start fn(arg) on a new thread; *out is valid until join().
	static int start(const char *name, sys_thread_fn fn, void *arg, HostThread **out);
	// Wait for the thread, hand back fn's result and free the handle.
	int join(void **result);
	// The calling thread's handle, or nullptr for a thread mte did not start.
	static HostThread *self();
	const char *name() const { return name_.c_str(); }
	// Threads started and not yet joined (for the close report).
	static uint64_t live_count() { return live_.load(std::memory_order_relaxed); }

private:
	HostThread(const char *name, sys_thread_fn fn, void *arg) : name_(name ? name : ""), fn_(fn), arg_(arg) {}
	static void *trampoline(void *self);

	pthread_t tid_{};
	std::string name_;
	sys_thread_fn fn_;
	void *arg_;
	static std::atomic<uint64_t> live_;
};

// Per-thread data: pthread keys, whose destructors run at thread exit for
// every thread (ours and foreign ones alike).
namespace tls {
int create(sys_tls_key_t *key, sys_tls_dtor dtor);
void destroy(sys_tls_key_t key);
void *get(sys_tls_key_t key);
int set(sys_tls_key_t key, void *value);
} // namespace tls

} // namespace mte

// host_thread.cpp - named joinable threads on pthreads.
#include "host_thread.hpp"

#include <cerrno>
#include <cstring>
#include <new>

namespace mte {

std::atomic<uint64_t> HostThread::live_{0};

namespace {
thread_local HostThread *t_self = nullptr;
}

int HostThread::start(const char *name, sys_thread_fn fn, void *arg, HostThread **out)
{
	if (!out || !fn)
		return -EINVAL;
	auto *t = new (std::nothrow) HostThread(name, fn, arg);
	if (!t)
		return -ENOMEM;
	int rc = pthread_create(&t->tid_, nullptr, trampoline, t);
	if (rc != 0) {
		delete t;
		return -rc;
	}
	live_.fetch_add(1, std::memory_order_relaxed);
	*out = t;
	return 0;
}

void *HostThread::trampoline(void *p)
{
	auto *t = static_cast<HostThread *>(p);
	t_self = t;
	// The kernel keeps 15 bytes of a thread name; naming from inside the
	// thread means it is set before fn runs.
	char comm[16];
	std::strncpy(comm, t->name_.c_str(), sizeof comm - 1);
	comm[sizeof comm - 1] = '\0';
	pthread_setname_np(pthread_self(), comm);
	void *result = t->fn_(t->arg_);
	t_self = nullptr;
	return result;
}

int HostThread::join(void **result)
{
	if (pthread_equal(tid_, pthread_self()))
		return -EDEADLK;
	void *r = nullptr;
	int rc = pthread_join(tid_, &r);
	if (rc != 0)
		return -rc;
	if (result)
		*result = r;
	live_.fetch_sub(1, std::memory_order_relaxed);
	delete this;
	return 0;
}

HostThread *HostThread::self()
{
	return t_self;
}

namespace tls {

int create(sys_tls_key_t *key, sys_tls_dtor dtor)
{
	static_assert(sizeof(pthread_key_t) <= sizeof(sys_tls_key_t));
	pthread_key_t k;
	int rc = pthread_key_create(&k, dtor);
	if (rc != 0)
		return -rc;
	*key = sys_tls_key_t(k);
	return 0;
}

void destroy(sys_tls_key_t key)
{
	pthread_key_delete(pthread_key_t(key));
}

void *get(sys_tls_key_t key)
{
	return pthread_getspecific(pthread_key_t(key));
}

int set(sys_tls_key_t key, void *value)
{
	return -pthread_setspecific(pthread_key_t(key), value);
}

} // namespace tls
} // namespace mte

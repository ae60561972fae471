// helpers.hpp - the runtime tests' fixture: every runtime test binary
// boots mte + umc once per process (ctest runs each TEST in its own
// process), and loopback connections of umc sockets (tests/helpers has what
// every test uses).
#pragma once

#include <arpa/inet.h>
#include <cstdint>
#include <cstring>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "helpers/helpers.hpp"
#include "umc/runtime.h"
#include "umc/socket.h"

// A test file may define this to boot with other parameters (weak default).
extern "C" void umc_test_boot_params(struct umc_boot_params *p);

namespace t {

// A connected pair of umc sockets (and the listener that accepted it).
struct Pair {
	umc_sock *listener = nullptr;
	umc_sock *client = nullptr;
	umc_sock *server = nullptr;
	~Pair()
	{
		umc_sock_release(client);
		umc_sock_release(server);
		umc_sock_release(listener);
	}
};

inline int loopback(int family, sockaddr_storage *ss)
{
	std::memset(ss, 0, sizeof *ss);
	if (family == AF_INET) {
		auto *a = reinterpret_cast<sockaddr_in *>(ss);
		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof *a;
	}
	auto *a = reinterpret_cast<sockaddr_in6 *>(ss);
	a->sin6_family = AF_INET6;
	a->sin6_addr = in6addr_loopback;
	return sizeof *a;
}

// A listener bound to an ephemeral loopback port; returns its address.
inline void make_listener(Pair &p, int family, sockaddr_storage *addr, int *len)
{
	ASSERT_EQ(umc_sock_create(family, SOCK_STREAM, IPPROTO_TCP, &p.listener), 0);
	*len = loopback(family, addr);
	ASSERT_EQ(umc_sock_bind(p.listener, addr, *len), 0);
	ASSERT_EQ(umc_sock_listen(p.listener, 8), 0);
	ASSERT_EQ(umc_sock_getname(p.listener, addr, len, false), 0);
}

inline void connect_pair(Pair &p, int family = AF_INET)
{
	sockaddr_storage addr;
	int len;
	make_listener(p, family, &addr, &len);
	ASSERT_EQ(umc_sock_create(family, SOCK_STREAM, 0, &p.client), 0);
	ASSERT_EQ(umc_sock_connect(p.client, &addr, len, 5000), 0);
	ASSERT_EQ(umc_sock_accept(p.listener, &p.server, 5000), 0);
}

} // namespace t

// Kernel sockets over host sockets: WAITALL, PEEK/DONTWAIT probe, EOF,
// receive timeout re-read per call, shutdown kicking a blocked receiver,
// IPv6, connect errors, listen callback, buffer sizes.
#include <atomic>
#include <cstring>
#include <gtest/gtest.h>
#include <sys/ioctl.h>
#include <thread>
#include <vector>

#include "helpers.hpp"
#include "umc/signal.h"
#include "umc/task.h"
#include "umc/time.h"

namespace {

long send_str(umc_sock *s, const std::string &str, int flags = 0)
{
	umc_iov iov{const_cast<char *>(str.data()), str.size()};
	return umc_sock_send(s, &iov, 1, flags | MSG_NOSIGNAL, UMC_SOCK_TIMEO_INFINITE);
}

TEST(Socket, WaitallAssemblesPiecesAndEofReturnsZero)
{
	t::Pair p;
	t::connect_pair(p);
	std::thread writer([&] {
		send_str(p.client, "abc", MSG_MORE);
		send_str(p.client, "defgh");
		send_str(p.client, "ij");
		umc_sock_shutdown(p.client, SHUT_WR);
	});
	char a[4], b[6];
	umc_iov iov[2] = {{a, 4}, {b, 6}};
	EXPECT_EQ(umc_sock_recv(p.server, iov, 2, MSG_WAITALL, 5 * UMC_HZ), 10);
	EXPECT_EQ(std::string(a, 4) + std::string(b, 6), "abcdefghij");
	char c[8];
	umc_iov one{c, sizeof c};
	EXPECT_EQ(umc_sock_recv(p.server, &one, 1, MSG_WAITALL, 5 * UMC_HZ), 0); // orderly close
	writer.join();
}

TEST(Socket, PeekDontwaitProbe)
{
	t::Pair p;
	t::connect_pair(p);
	char c;
	umc_iov iov{&c, 1};
	// drbd_socket_okay(): nothing there yet -> -EAGAIN, immediately.
	EXPECT_EQ(umc_sock_recv(p.server, &iov, 1, MSG_DONTWAIT | MSG_PEEK, UMC_SOCK_TIMEO_INFINITE), -EAGAIN);
	send_str(p.client, "x");
	char d[4];
	umc_iov iov2{d, 4};
	EXPECT_EQ(umc_sock_recv(p.server, &iov2, 1, MSG_PEEK, 5 * UMC_HZ), 1);
	EXPECT_EQ(umc_sock_recv(p.server, &iov2, 1, 0, 5 * UMC_HZ), 1); // still there after peek
	EXPECT_EQ(d[0], 'x');
}

TEST(Socket, ReceiveTimeoutReturnsEagainAfterTimeo)
{
	t::Pair p;
	t::connect_pair(p);
	char buf[8];
	umc_iov iov{buf, sizeof buf};
	uint64_t t0 = t::now_ms();
	EXPECT_EQ(umc_sock_recv(p.server, &iov, 1, MSG_WAITALL, 40), -EAGAIN);
	uint64_t dt = t::now_ms() - t0;
	EXPECT_GE(dt, 39u);
	EXPECT_LT(dt, 1000u);
	// Partial data then timeout: the bytes received, not an error.
	send_str(p.client, "abc");
	EXPECT_EQ(umc_sock_recv(p.server, &iov, 1, MSG_WAITALL, 40), 3);
}

TEST(Socket, ShutdownKicksBlockedReceiver)
{
	t::Pair p;
	t::connect_pair(p);
	std::atomic<long> ret{1};
	umc_task *rt = nullptr;
	std::atomic<bool> have{false};
	std::thread r([&] {
		rt = umc_current();
		umc_task_get(rt); // the test reads its state after the thread ends
		have = true;
		char b[16];
		umc_iov iov{b, sizeof b};
		ret = umc_sock_recv(p.server, &iov, 1, MSG_WAITALL, UMC_SOCK_TIMEO_INFINITE);
	});
	while (!have)
		std::this_thread::yield();
	while (umc_task_state(rt) != UMC_TASK_INTERRUPTIBLE)
		std::this_thread::yield();
	EXPECT_EQ(umc_sock_shutdown(p.server, SHUT_RDWR), 0); // from another thread
	r.join();
	umc_task_put(rt);
	EXPECT_EQ(ret.load(), 0);
}

TEST(Socket, SignalOnFiniteTimeoutGivesEintr)
{
	t::Pair p;
	t::connect_pair(p);
	umc_task *me = umc_current();
	umc_signal_send(me, 1);
	char b[4];
	umc_iov iov{b, 4};
	EXPECT_EQ(umc_sock_recv(p.server, &iov, 1, 0, 10 * UMC_HZ), -EINTR);
	EXPECT_EQ(umc_sock_recv(p.server, &iov, 1, 0, UMC_SOCK_TIMEO_INFINITE), -512);
	umc_signal_flush(me);
}

TEST(Socket, Ipv6Loopback)
{
	t::Pair p;
	t::connect_pair(p, AF_INET6);
	send_str(p.client, "v6");
	char b[2];
	umc_iov iov{b, 2};
	EXPECT_EQ(umc_sock_recv(p.server, &iov, 1, MSG_WAITALL, 5 * UMC_HZ), 2);
	sockaddr_storage ss;
	int len = sizeof ss;
	EXPECT_EQ(umc_sock_getname(p.server, &ss, &len, true), 0);
	EXPECT_EQ(ss.ss_family, AF_INET6);
}

TEST(Socket, ConnectRefusedAndAcceptTimeout)
{
	t::Pair p;
	sockaddr_storage addr;
	int len;
	t::make_listener(p, AF_INET, &addr, &len);
	umc_sock *l2 = nullptr;
	umc_sock *dead = nullptr;
	// A port nobody listens on: bind a socket, learn its port, close it.
	ASSERT_EQ(umc_sock_create(AF_INET, SOCK_STREAM, 0, &l2), 0);
	sockaddr_storage a2;
	int l2len = t::loopback(AF_INET, &a2);
	umc_sock_bind(l2, &a2, l2len);
	umc_sock_getname(l2, &a2, &l2len, false);
	umc_sock_release(l2);
	ASSERT_EQ(umc_sock_create(AF_INET, SOCK_STREAM, 0, &dead), 0);
	EXPECT_EQ(umc_sock_connect(dead, &a2, l2len, 5 * UMC_HZ), -ECONNREFUSED);
	umc_sock_release(dead);
	umc_sock *n = nullptr;
	EXPECT_EQ(umc_sock_accept(p.listener, &n, 0), -EAGAIN);
	EXPECT_EQ(umc_sock_accept(p.listener, &n, 20), -EAGAIN);
	EXPECT_EQ(umc_sock_create(AF_UNIX, SOCK_STREAM, 0, &n), -EAFNOSUPPORT);
}

TEST(Socket, ListenCallbackOnIncomingConnection)
{
	t::Pair p;
	sockaddr_storage addr;
	int len;
	t::make_listener(p, AF_INET, &addr, &len);
	struct Bell {
		std::atomic<uint32_t> rung{0};
	} bell;
	ASSERT_EQ(umc_sock_set_listen_cb(
			  p.listener,
			  [](void *a) {
				  auto *b = static_cast<Bell *>(a);
				  b->rung++;
				  umc_wake_word(reinterpret_cast<uint32_t *>(&b->rung), INT32_MAX);
			  },
			  &bell),
		  0);
	ASSERT_EQ(umc_sock_create(AF_INET, SOCK_STREAM, 0, &p.client), 0);
	ASSERT_EQ(umc_sock_connect(p.client, &addr, len, 5 * UMC_HZ), 0);
	while (!bell.rung.load())
		umc_wait_word(reinterpret_cast<uint32_t *>(&bell.rung), 0, 0);
	ASSERT_EQ(umc_sock_accept(p.listener, &p.server, 0), 0); // door bell -> accept
	// Second connection rings again after the accept re-armed it.
	umc_sock *c2 = nullptr, *s2 = nullptr;
	ASSERT_EQ(umc_sock_create(AF_INET, SOCK_STREAM, 0, &c2), 0);
	ASSERT_EQ(umc_sock_connect(c2, &addr, len, 5 * UMC_HZ), 0);
	while (bell.rung.load() < 2)
		umc_wait_word(reinterpret_cast<uint32_t *>(&bell.rung), 1, 0);
	ASSERT_EQ(umc_sock_accept(p.listener, &s2, 0), 0);
	EXPECT_EQ(umc_sock_set_listen_cb(p.listener, nullptr, nullptr), 0);
	umc_sock_release(c2);
	umc_sock_release(s2);
	EXPECT_EQ(bell.rung.load(), 2u);
}

TEST(Socket, SendTimeoutWhenPeerDoesNotRead)
{
	t::Pair p;
	t::connect_pair(p);
	std::string big(8 << 20, 'x');
	umc_iov iov{big.data(), big.size()};
	// The peer never reads: the send fills the buffers, then gives up after
	// the send timeout, reporting what it moved (DRBD's ko-count path).
	long n = umc_sock_send(p.client, &iov, 1, MSG_NOSIGNAL, 30);
	EXPECT_GT(n, 0);
	EXPECT_LT(n, static_cast<long>(big.size()));
	EXPECT_GT(umc_sock_outq(p.client), 0);
	// Once nothing more fits (autotuning may still grow the buffer a few
	// times), a send moves nothing and fails with -EAGAIN after the timeout.
	long r = 0;
	uint64_t dt = 0;
	for (int i = 0; i < 200; i++) {
		uint64_t t0 = t::now_ms();
		r = umc_sock_send(p.client, &iov, 1, MSG_NOSIGNAL, 30);
		dt = t::now_ms() - t0;
		if (r < 0)
			break;
	}
	EXPECT_EQ(r, -EAGAIN);
	EXPECT_GE(dt, 29u);
}

TEST(Socket, BufferSizesApplied)
{
	umc_sock *s = nullptr;
	ASSERT_EQ(umc_sock_create(AF_INET, SOCK_STREAM, 0, &s), 0);
	EXPECT_EQ(umc_sock_set_bufsize(s, 128 * 1024, 256 * 1024), 0);
	int v = 0;
	socklen_t l = sizeof v;
	getsockopt(umc_sock_fd(s), SOL_SOCKET, SO_SNDBUF, &v, &l);
	EXPECT_GE(v, 128 * 1024); // Linux doubles it
	getsockopt(umc_sock_fd(s), SOL_SOCKET, SO_RCVBUF, &v, &l);
	EXPECT_GE(v, 256 * 1024);
	EXPECT_EQ(umc_sock_outq(s), 0);
	umc_sock_release(s);
}

// Bytes waiting in the host socket's receive queue.
int host_inq(umc_sock *s)
{
	int n = -1;
	return ioctl(umc_sock_fd(s), FIONREAD, &n) < 0 ? -1 : n;
}

unsigned long host_recvs(umc_sock *s)
{
	umc_sock_calls c;
	umc_sock_get_calls(s, &c);
	return c.recvmsg;
}

// Wait until the host has queued `n` bytes for `s` (loopback delivery is
// asynchronous to the sender's return).
void wait_inq(umc_sock *s, int n)
{
	while (host_inq(s) < n)
		std::this_thread::yield();
}

// DRBD's receiver: a 16-byte header, then page by page with MSG_WAITALL.
// When the whole packet is already there it costs one host recvmsg; the
// rest is served from the buffer, without waiting (a zero timeout would
// fail at once otherwise), and MSG_PEEK|MSG_DONTWAIT sees buffered bytes
// while the host queue is empty.
TEST(SocketRxBuffer, SmallReceivesAfterOneArrivalMakeOneHostRecv)
{
	t::Pair p;
	t::connect_pair(p);
	std::string packet(16, 'H');
	for (int i = 0; i < 8; i++)
		packet += std::string(4096, static_cast<char>('a' + i));
	ASSERT_EQ(send_str(p.client, packet), static_cast<long>(packet.size()));
	wait_inq(p.server, static_cast<int>(packet.size()));
	unsigned long before = host_recvs(p.server);
	std::string got(packet.size(), 0);
	umc_iov hdr{got.data(), 16};
	EXPECT_EQ(umc_sock_recv(p.server, &hdr, 1, MSG_WAITALL, 5 * UMC_HZ), 16);
	EXPECT_EQ(host_inq(p.server), 0);
	char peek[4];
	umc_iov pk{peek, sizeof peek};
	EXPECT_EQ(umc_sock_recv(p.server, &pk, 1, MSG_PEEK | MSG_DONTWAIT, UMC_SOCK_TIMEO_INFINITE), 4);
	EXPECT_EQ(std::string(peek, 4), "aaaa");
	for (int i = 0; i < 8; i++) {
		umc_iov page{got.data() + 16 + i * 4096, 4096};
		EXPECT_EQ(umc_sock_recv(p.server, &page, 1, MSG_WAITALL, 0), 4096) << "page " << i;
	}
	EXPECT_EQ(host_recvs(p.server) - before, 1u);
	EXPECT_EQ(got, packet);
	// Drained: nothing buffered, nothing there.
	EXPECT_EQ(umc_sock_recv(p.server, &pk, 1, MSG_PEEK | MSG_DONTWAIT, UMC_SOCK_TIMEO_INFINITE), -EAGAIN);
}

// A peek sees what the host has behind the buffered bytes too, up to its
// length, as it sees the kernel's whole receive queue.
TEST(SocketRxBuffer, PeekSeesBufferedAndHostBytesTogether)
{
	t::Pair p;
	t::connect_pair(p);
	ASSERT_EQ(send_str(p.client, "0123456789"), 10);
	wait_inq(p.server, 10);
	char b[16];
	umc_iov one{b, 2};
	EXPECT_EQ(umc_sock_recv(p.server, &one, 1, MSG_WAITALL, 5 * UMC_HZ), 2); // 8 stay buffered
	ASSERT_EQ(send_str(p.client, "abcdef"), 6);
	wait_inq(p.server, 6);
	umc_iov all{b, sizeof b};
	EXPECT_EQ(umc_sock_recv(p.server, &all, 1, MSG_PEEK | MSG_DONTWAIT, 0), 14);
	EXPECT_EQ(std::string(b, 14), "23456789abcdef");
	EXPECT_EQ(umc_sock_recv(p.server, &all, 1, MSG_DONTWAIT, 0), 14);
	EXPECT_EQ(std::string(b, 14), "23456789abcdef");
}

// EOF comes after the buffered bytes: them first, then 0.
TEST(SocketRxBuffer, EofAfterBufferedBytesReturnsThemThenZero)
{
	t::Pair p;
	t::connect_pair(p);
	std::string data(100, 'x');
	ASSERT_EQ(send_str(p.client, data), 100);
	ASSERT_EQ(umc_sock_shutdown(p.client, SHUT_WR), 0);
	wait_inq(p.server, 100);
	char b[200];
	umc_iov ten{b, 10};
	EXPECT_EQ(umc_sock_recv(p.server, &ten, 1, MSG_WAITALL, 5 * UMC_HZ), 10);
	umc_iov rest{b, sizeof b};
	EXPECT_EQ(umc_sock_recv(p.server, &rest, 1, MSG_WAITALL, 5 * UMC_HZ), 90);
	EXPECT_EQ(umc_sock_recv(p.server, &rest, 1, MSG_WAITALL, 5 * UMC_HZ), 0);
}

// Closing a socket with unread bytes resets the connection (tcp_close);
// bytes in the buffer are unread though the host queue is empty.
TEST(SocketRxBuffer, ReleaseWithUnreadBufferedBytesResetsThePeer)
{
	t::Pair p;
	t::connect_pair(p);
	std::string data(100, 'x');
	ASSERT_EQ(send_str(p.client, data), 100);
	wait_inq(p.server, 100);
	char b[10];
	umc_iov ten{b, sizeof b};
	EXPECT_EQ(umc_sock_recv(p.server, &ten, 1, MSG_WAITALL, 5 * UMC_HZ), 10);
	EXPECT_EQ(host_inq(p.server), 0);
	umc_sock_release(p.server);
	p.server = nullptr;
	EXPECT_EQ(umc_sock_recv(p.client, &ten, 1, MSG_WAITALL, 5 * UMC_HZ), -ECONNRESET);
}

} // namespace

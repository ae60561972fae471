// Kernel sockets over loopback the way DRBD connects, and the socket
// emulation's pacing fields as DRBD reads them: what a live connection makes
// of sk_wmem_queued and sk_sndbuf, and what an accepted socket inherits. Needs
// a real runtime (softirq task, alarms).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sys/socket.h>

#include "socket_driver.h"

namespace {

int host_sockopt(int fd, int level, int name)
{
	int v = -1;
	socklen_t len = sizeof v;
	return getsockopt(fd, level, name, &v, &len) < 0 ? -1 : v;
}

// The middle ("default") value of a tcp_[rw]mem sysctl.
int sysctl_default(const char *path)
{
	std::ifstream f(path);
	int lo = 0, def = 0;
	f >> lo >> def;
	return def;
}

TEST(Socket, LoopbackTheWayDrbdConnects)
{
	EXPECT_EQ(ksd_socket_loopback(), 0);
}

TEST(SocketSpace, BuffersStartAtTcpDefaultsAndFollowTheHostOnceConnected)
{
	EXPECT_EQ(ksd_socket_sizes_start_and_grow(sysctl_default("/proc/sys/net/ipv4/tcp_wmem"),
						  sysctl_default("/proc/sys/net/ipv4/tcp_rmem"), host_sockopt),
		  0);
}

// The resync stall of a SyncTarget: its last send left bytes unacked, and
// nothing else is sent on that socket, so only the ACKs can clear DRBD's
// "half the send buffer is queued" test.
TEST(SocketSpace, SyncTargetWhoseLastSendLeftUnackedBytesKeepsRequestingResync)
{
	EXPECT_EQ(ksd_socket_wmem_queued_follows_acks(5000), 0);
}

TEST(SocketSpace, AcceptedSocketInheritsWhatSkCloneLockCopies)
{
	EXPECT_EQ(ksd_socket_accept_inherits_listener(host_sockopt), 0);
}

TEST(SocketSpace, PrioritySetAfterConnectReachesTheHostSocket)
{
	EXPECT_EQ(ksd_socket_priority_reaches_established(host_sockopt), 0);
}

// DRBD's data packet: a header, then pages with MSG_MORE but the last.
TEST(SocketMore, RunOfMoreSendsIsOneHostSendmsgWhenItEnds)
{
	EXPECT_EQ(ksd_socket_more_run_is_one_host_send(), 0);
}

TEST(SocketMore, PushThatMovesNoneOfItsOwnBytesReturnsItsErrorAndKeepsTheHeldBytes)
{
	EXPECT_EQ(ksd_socket_push_that_cannot_move_keeps_the_held_bytes(), 0);
}

TEST(SocketMore, HeldBytesReachThePeerOnUncorkNodelayShutdownAndRelease)
{
	EXPECT_EQ(ksd_socket_held_bytes_reach_the_peer(), 0);
}

// DRBD corks its data socket while its sender has work, its meta socket
// while it sends a batch of acks.
TEST(SocketMore, CorkedSendsAreOneHostSendmsgAtUncork)
{
	EXPECT_EQ(ksd_socket_corked_sends_are_one_host_send(), 0);
}

TEST(SocketMore, UncorkIntoAFullBufferDeliversAsThePeerReads)
{
	EXPECT_EQ(ksd_socket_uncork_into_a_full_buffer_delivers_as_the_peer_reads(), 0);
}

} // namespace

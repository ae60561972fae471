// control_socket.hpp - umcd's stand-in for the kernel's generic netlink
// socket: an AF_UNIX SOCK_SEQPACKET listener at the abstract name
// "\0umc-ctl:" + realpath(fs_root) (docs/preload.md), whose datagrams are
// netlink messages for the hosted genetlink core (umc_genl_rcv).
//
// Each connection is one client netlink socket (drbdsetup, drbdadm's helpers,
// an events2 listener).  It is served by a thread of its own, which runs the
// client's requests as a umc task carrying the client's capabilities:
// root and the daemon's owner (SO_PEERCRED) get all of them, anybody else
// none, so that the hosted module refuses their administrative requests as
// the kernel would (DRBD answers ERR_PERM / genl -EPERM).  Multicast
// membership arrives in-band (0xfff0 join / 0xfff1 leave + u32 group).
#pragma once

#include <sys/types.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

struct sys_service;

namespace umcd {

class ControlSocket {
public:
	explicit ControlSocket(const sys_service *sys) : sys_(sys) {}
	~ControlSocket() { stop(); }
	ControlSocket(const ControlSocket &) = delete;
	ControlSocket &operator=(const ControlSocket &) = delete;

	// Bind `abstract_name` (without the leading NUL), install the genetlink
	// transport and start accepting.  "" on success, else why not (e.g. a
	// second daemon for the same root: "address in use").
	std::string start(const std::string &abstract_name);
	// Stop accepting, disconnect every client (their requests in progress
	// finish first) and remove the transport.  Idempotent.
	void stop();

	// Called in the client's thread with each datagram of requests before it
	// is dispatched.  Set before start().
	void set_request_hook(std::function<void(const void *data, size_t len)> hook) { hook_ = std::move(hook); }

	// Multicast messages dropped because a subscriber's socket was full (the
	// kernel would report ENOBUFS to that reader).
	uint64_t dropped_broadcasts() const { return dropped_.load(); }

	struct Client;

private:
	static int unicast(void *ctx, unsigned int portid, const void *msg, unsigned long len);
	static int broadcast(void *ctx, unsigned int group, const void *msg, unsigned long len);
	void accept_loop();
	void serve(std::shared_ptr<Client> client);
	uint32_t assign_portid(pid_t pid);

	const sys_service *sys_;
	int listen_fd_ = -1;
	int wake_fd_ = -1; // eventfd: ends accept_loop
	std::thread acceptor_;
	std::mutex mu_;
	std::map<uint32_t, std::shared_ptr<Client>> clients_; // by port id
	uint32_t next_portid_ = 0x40000000u;
	std::atomic<uint64_t> dropped_{0};
	// Client threads still serving (detached); stop() waits for none.
	std::mutex threads_mu_;
	std::condition_variable threads_cv_;
	unsigned threads_ = 0;
	bool transport_installed_ = false;
	std::function<void(const void *, size_t)> hook_;
};

} // namespace umcd

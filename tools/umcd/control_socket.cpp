#include "control_socket.hpp"

#include <mte/sys_service.h>
#include <umc/kernel_host.h>

#include <linux/netlink.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstddef>
#include <cstring>
#include <set>
#include <vector>

namespace umcd {
namespace {

constexpr uint16_t kJoin = 0xfff0, kLeave = 0xfff1; // in-band membership (docs/preload.md)
constexpr size_t kMaxRequest = 64 * 1024;
// Replies of one request (a status dump of many minors) can exceed the
// default socket buffer; the reader drains them while we write.
constexpr int kSendBuffer = 4 << 20;
constexpr int kUnicastTimeoutSec = 30;

void log(const sys_service *sys, int level, const std::string &msg)
{
	sys->log_write(level, "umcd", msg.data(), msg.size());
}

} // namespace

struct ControlSocket::Client {
	int fd = -1;
	uint32_t portid = 0;
	pid_t pid = 0;
	uid_t uid = 0;
	bool privileged = false;
	std::mutex groups_mu;
	std::set<uint32_t> groups;
	~Client()
	{
		if (fd >= 0)
			close(fd);
	}
};

std::string ControlSocket::start(const std::string &abstract_name)
{
	sockaddr_un addr{};
	addr.sun_family = AF_UNIX;
	if (abstract_name.size() + 1 > sizeof addr.sun_path)
		return "control socket name too long: " + abstract_name;
	std::memcpy(addr.sun_path + 1, abstract_name.data(), abstract_name.size());
	socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + abstract_name.size());

	listen_fd_ = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (listen_fd_ < 0)
		return std::string("control socket: ") + std::strerror(errno);
	if (bind(listen_fd_, reinterpret_cast<sockaddr *>(&addr), len) < 0 || listen(listen_fd_, 64) < 0) {
		std::string why = std::string("control socket @") + abstract_name + ": " + std::strerror(errno) +
				  (errno == EADDRINUSE ? " (another umcd serves this root)" : "");
		close(listen_fd_);
		listen_fd_ = -1;
		return why;
	}
	wake_fd_ = eventfd(0, EFD_CLOEXEC);

	static umc_genl_transport transport;
	transport.unicast = &ControlSocket::unicast;
	transport.broadcast = &ControlSocket::broadcast;
	transport.ctx = this;
	umc_genl_set_transport(&transport);
	transport_installed_ = true;
	acceptor_ = std::thread([this] { accept_loop(); });
	log(sys_, SYS_LOG_INFO, "control socket @" + abstract_name);
	return "";
}

void ControlSocket::stop()
{
	if (listen_fd_ < 0)
		return;
	uint64_t one = 1;
	(void)!write(wake_fd_, &one, sizeof one);
	acceptor_.join();
	{
		std::lock_guard lk(mu_);
		for (auto &[portid, c] : clients_)
			shutdown(c->fd, SHUT_RDWR);
	}
	{
		std::unique_lock lk(threads_mu_);
		threads_cv_.wait(lk, [this] { return threads_ == 0; });
	}
	if (transport_installed_)
		umc_genl_set_transport(nullptr);
	transport_installed_ = false;
	close(listen_fd_);
	close(wake_fd_);
	listen_fd_ = wake_fd_ = -1;
}

uint32_t ControlSocket::assign_portid(pid_t pid)
{
	// A process's first netlink socket has port id = pid (what the preload's
	// getsockname reports); further ones get ids the kernel would not hand
	// out to a process, so they never collide.
	std::lock_guard lk(mu_);
	if (pid > 0 && !clients_.count(static_cast<uint32_t>(pid)))
		return static_cast<uint32_t>(pid);
	while (clients_.count(next_portid_))
		++next_portid_;
	return next_portid_++;
}

void ControlSocket::accept_loop()
{
	for (;;) {
		pollfd p[2] = {{listen_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			log(sys_, SYS_LOG_ERROR, std::string("control socket: poll: ") + std::strerror(errno));
			return;
		}
		if (p[1].revents)
			return;
		int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED)
				log(sys_, SYS_LOG_WARN, std::string("control socket: accept: ") + std::strerror(errno));
			continue;
		}
		auto c = std::make_shared<Client>();
		c->fd = fd;
		ucred cred{};
		socklen_t clen = sizeof cred;
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0) {
			log(sys_, SYS_LOG_WARN, std::string("control socket: SO_PEERCRED: ") + std::strerror(errno));
			continue; // c closes fd
		}
		c->pid = cred.pid;
		c->uid = cred.uid;
		c->privileged = cred.uid == 0 || cred.uid == geteuid();
		int sndbuf = kSendBuffer;
		if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf) < 0)
			setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
		timeval tv{kUnicastTimeoutSec, 0};
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		c->portid = assign_portid(cred.pid);
		{
			std::lock_guard lk(mu_);
			clients_[c->portid] = c;
		}
		if (!c->privileged)
			log(sys_, SYS_LOG_INFO,
			    "control socket: client pid " + std::to_string(c->pid) + " uid " + std::to_string(c->uid) +
				    " is neither root nor the daemon's owner: "
				    "served without capabilities");
		{
			std::lock_guard lk(threads_mu_);
			++threads_;
		}
		std::thread([this, c] { serve(c); }).detach();
	}
}

void ControlSocket::serve(std::shared_ptr<Client> c)
{
	// This thread becomes a umc task on its first kernel call; it carries the
	// client's capabilities for everything it runs.
	umc_current_set_caps(c->privileged ? ~0ull : 0ull);
	std::vector<char> buf(kMaxRequest);
	for (;;) {
		ssize_t n = recv(c->fd, buf.data(), buf.size(), MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (static_cast<size_t>(n) > buf.size()) {
			log(sys_, SYS_LOG_WARN,
			    "control socket: pid " + std::to_string(c->pid) + " sent a " + std::to_string(n) +
				    "-byte message; dropped (limit " + std::to_string(buf.size()) + ")");
			continue;
		}
		auto *nlh = reinterpret_cast<const nlmsghdr *>(buf.data());
		if (static_cast<size_t>(n) >= sizeof(nlmsghdr) + sizeof(uint32_t) &&
		    (nlh->nlmsg_type == kJoin || nlh->nlmsg_type == kLeave)) {
			uint32_t group;
			std::memcpy(&group, buf.data() + sizeof(nlmsghdr), sizeof group);
			std::lock_guard lk(c->groups_mu);
			if (nlh->nlmsg_type == kJoin)
				c->groups.insert(group);
			else
				c->groups.erase(group);
			continue;
		}
		if (hook_)
			hook_(buf.data(), static_cast<size_t>(n));
		umc_genl_rcv(c->portid, buf.data(), static_cast<unsigned long>(n));
	}
	{
		std::lock_guard lk(mu_);
		auto it = clients_.find(c->portid);
		if (it != clients_.end() && it->second == c)
			clients_.erase(it);
	}
	c.reset();
	std::lock_guard lk(threads_mu_);
	if (--threads_ == 0)
		threads_cv_.notify_all();
}

int ControlSocket::unicast(void *ctx, unsigned int portid, const void *msg, unsigned long len)
{
	auto *self = static_cast<ControlSocket *>(ctx);
	std::shared_ptr<Client> c;
	{
		std::lock_guard lk(self->mu_);
		auto it = self->clients_.find(portid);
		if (it == self->clients_.end())
			return -ECONNREFUSED;
		c = it->second;
	}
	ssize_t n = send(c->fd, msg, len, MSG_NOSIGNAL);
	if (n < 0)
		return errno == EPIPE ? -ECONNREFUSED : -errno;
	return 0;
}

int ControlSocket::broadcast(void *ctx, unsigned int group, const void *msg, unsigned long len)
{
	auto *self = static_cast<ControlSocket *>(ctx);
	bool delivered = false;
	std::lock_guard lk(self->mu_);
	for (auto &[portid, c] : self->clients_) {
		{
			std::lock_guard glk(c->groups_mu);
			if (!c->groups.count(group))
				continue;
		}
		// Never block a kernel thread on a slow reader: the kernel drops the
		// message for that reader (ENOBUFS) instead.
		if (send(c->fd, msg, len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
			if (errno == EAGAIN)
				self->dropped_.fetch_add(1);
			continue;
		}
		delivered = true;
	}
	return delivered ? 0 : -ESRCH;
}

} // namespace umcd

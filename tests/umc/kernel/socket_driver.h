/* Plain-C probes of kernel sockets, on the real umc runtime, for
 * socket_test.cpp: a loopback connection the way DRBD makes one, and the
 * socket emulation's pacing fields: what DRBD reads from struct sock
 * (sk_wmem_queued, sk_sndbuf) and what an accepted socket inherits.  Each
 * returns 0 when every step held, else the number of the failing step. */
#ifndef TESTS_UMC_KERNEL_SOCKET_DRIVER_H
#define TESTS_UMC_KERNEL_SOCKET_DRIVER_H
#ifdef __cplusplus
extern "C" {
#endif

/* Reads one int socket option of a host fd (the test's getsockopt). */
typedef int (*ksd_host_sockopt_fn)(int fd, int level, int name);

/* A new socket's sk_sndbuf/sk_rcvbuf are tcp_wmem[1]/tcp_rmem[1] (passed
 * in), as tcp_init_sock sets them; once connected they are what the host
 * autotuned (above tcp_wmem[1], equal to the host's SO_SNDBUF). */
int ksd_socket_sizes_start_and_grow(int tcp_wmem1, int tcp_rmem1, ksd_host_sockopt_fn host_opt);

/* The way a SyncTarget paces its resync requests (make_resync_request):
 * the last send leaves bytes unacknowledged, then the peer reads them all.
 * With no further call on the sending socket, sk_wmem_queued drops to 0
 * within `limit_jiffies`, so `queued > sndbuf / 2` clears and requests go
 * on. */
int ksd_socket_wmem_queued_follows_acks(long limit_jiffies);

/* kernel_accept gives a sock that inherits what sk_clone_lock copies:
 * locked sizes (sndbuf above net.core.wmem_max as well), priority,
 * timeouts, sk_user_data and sk_state_change; the host fd has the sizes. */
int ksd_socket_accept_inherits_listener(ksd_host_sockopt_fn host_opt);

/* sk_priority written after the connection is up (as DRBD does) reaches
 * the host socket by the next send. */
int ksd_socket_priority_reaches_established(ksd_host_sockopt_fn host_opt);

/* Kernel sockets over loopback, the way DRBD uses them: a listener whose
 * sk_state_change (swapped under sk_callback_lock) rings a door bell,
 * connect, kernel_accept, send/recv with MSG_WAITALL, sk_rcvtimeo expiry,
 * shutdown.  0 = ok, else the failing step. */
int ksd_socket_loopback(void);

/* DRBD's data packet (a header and pages, all but the last page with
 * MSG_MORE) is one host sendmsg: until the last page no host call is made,
 * the peer has nothing, the held pages are referenced (page_count 2) and
 * counted in sk_wmem_queued; after it no page is referenced and the peer
 * reads every byte in order. */
int ksd_socket_more_run_is_one_host_send(void);

/* With the peer not reading and the host buffers full, a MSG_MORE send is
 * held (and counted in sk_wmem_queued); the send that pushes it and moves
 * none of its own bytes returns its own error (-EAGAIN with MSG_DONTWAIT
 * and on timeout, -EINTR / -ERESTARTSYS on a signal), the held bytes stay
 * held; once the peer drains, the retry delivers held bytes, then its own. */
int ksd_socket_push_that_cannot_move_keeps_the_held_bytes(void);

/* Held bytes reach the peer when TCP would push them: uncork, nodelay,
 * shutdown(SHUT_WR) (then EOF; a later send -EPIPE), sock_release. */
int ksd_socket_held_bytes_reach_the_peer(void);

/* On a corked socket, sends without MSG_MORE (a page among them, copied:
 * page_count stays 1) are held and make one host sendmsg at uncork; a send
 * that would pass what a corked socket holds (a segment) pushes at once. */
int ksd_socket_corked_sends_are_one_host_send(void);

/* Uncorking while the host's send buffer is full (a slow peer) pushes what
 * it can; the rest still reaches the peer once it reads, with no later
 * send to carry it (DRBD's sender sleeps after it uncorks). */
int ksd_socket_uncork_into_a_full_buffer_delivers_as_the_peer_reads(void);

#ifdef __cplusplus
}
#endif
#endif

#!/usr/bin/env python3
"""A TCP proxy between two DRBD 8.4 nodes that misbehaves on request.

  drbd_wire_proxy.py --control FILE --log FILE --pidfile FILE
                     [--record DIR] [--rcvbuf BYTES] LISTEN0:TARGET0 LISTEN1:TARGET1

Each LISTENk:TARGETk is a pair of loopback ports: the proxy listens on
127.0.0.1:LISTENk and forwards every connection to 127.0.0.1:TARGETk, the
real address of node k.  A node's drbd.conf names the proxy's port as its
peer's address, so the bytes of every connection both nodes make pass here,
and the proxy knows the direction of each: a connection accepted on LISTENk
carries the stream "to node k" (client -> server) and "from node k" (back).

DRBD 8.4 connects both ways and keeps one data and one meta socket; the
first packet of each says which it is (P_INITIAL_DATA / P_INITIAL_META).
Packets are framed by magic: p_header80 (be32 0x83740267, be16 cmd, be16
len), p_header95 (be16 0x835a, be16 cmd, be32 len) and, once protocol >= 100
is agreed, p_header100 (be32 0x8620ec20, be16 vol, be16 cmd, be32 len, be32
pad).  A stream whose framing is lost is forwarded raw.

The control FILE holds one line, re-read whenever it changes:

  pass                                  forward everything (also: empty file)
  garbage SOCK to=K [n=N] [cmd=C]       once per stream: 64 bytes of garbage
                                        before the packet that triggers
  features to=K min=A max=B             rewrite P_CONNECTION_FEATURES to node K
  cut SOCK to=K [n=N] [cmd=C]           send half of the triggering packet,
                                        then close the connection
  stall SOCK to=K [n=N] [cmd=C]         stop reading the stream at the
                                        triggering packet (the sender's socket
                                        fills); resumes when the mode changes

SOCK is data or meta; the trigger is the first packet after the N-th of the
stream (n=N) and/or the first with command C (cmd=0x00 is P_DATA).  Every
event goes to the log, one line each, e.g. "conn 3 to=1 data", "garbage conn
3 to=1 data at pkt 7 cmd 0x0000", "features conn 3 to=1 86-101 -> 200-200".
--rcvbuf sets SO_RCVBUF of every socket (a stalled stream then holds little).
With --record DIR each stream (both directions of every connection) is also
written as forwarded to DIR/conn<N>.to<K>.<sock>.
"""
import argparse, os, select, socket, struct, sys, threading, time

MAGIC80, MAGIC95, MAGIC100 = 0x83740267, 0x835A, 0x8620EC20
P_INITIAL_META, P_INITIAL_DATA, P_CONNECTION_FEATURES = 0xFFF1, 0xFFF2, 0xFFFE
GARBAGE = bytes((0xA5 ^ (i * 37)) & 0xFF for i in range(64))

log_lock = threading.Lock()
mode_lock = threading.Lock()
mode_cond = threading.Condition(mode_lock)
mode = {"name": "pass"}
mode_gen = 0


def log(msg):
    with log_lock:
        LOG.write("%.3f %s\n" % (time.time(), msg))
        LOG.flush()


def parse_mode(line):
    words = line.split()
    if not words:
        return {"name": "pass"}
    m = {"name": words[0]}
    if m["name"] not in ("pass", "garbage", "features", "cut", "stall"):
        raise ValueError("unknown mode %r" % words[0])
    for w in words[1:]:
        if w in ("data", "meta"):
            m["sock"] = w
        else:
            k, v = w.split("=", 1)
            m[k] = int(v, 0)
    return m


def watch_control(path):
    global mode, mode_gen
    last = None
    while True:
        try:
            text = open(path).read()
        except OSError:
            text = ""
        if text != last:
            last = text
            try:
                m = parse_mode(text.strip())
            except ValueError as e:
                log("bad control line %r: %s" % (text.strip(), e))
                m = None
            if m is not None:
                with mode_cond:
                    mode = m
                    mode_gen += 1
                    mode_cond.notify_all()
                log("mode %s" % text.strip())
        time.sleep(0.05)


def header_of(buf):
    """(header size, cmd, payload length) of the packet at buf's start,
    None if more bytes are needed, or False if the framing is lost."""
    if len(buf) < 4:
        return None
    (m32,) = struct.unpack_from(">I", buf)
    if m32 == MAGIC100:
        if len(buf) < 16:
            return None
        _, _, cmd, length, _ = struct.unpack_from(">IHHII", buf)
        return 16, cmd, length
    if m32 == MAGIC80:
        if len(buf) < 8:
            return None
        _, cmd, length = struct.unpack_from(">IHH", buf)
        return 8, cmd, length
    if m32 >> 16 == MAGIC95:
        if len(buf) < 8:
            return None
        _, cmd, length = struct.unpack_from(">HHI", buf)
        return 8, cmd, length
    return False


class Conn:
    count = 0
    count_lock = threading.Lock()

    def __init__(self, client, server, to):
        with Conn.count_lock:
            Conn.count += 1
            self.id = Conn.count
        self.client, self.server, self.to = client, server, to
        self.kind = "?"
        self.closed = False
        self.streams = 2
        self.lock = threading.Lock()

    def close(self):
        with self.lock:
            if self.closed:
                return
            self.closed = True
        for s in (self.client, self.server):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        log("close conn %d" % self.id)
        with mode_cond:
            mode_cond.notify_all()

    def stream_done(self):
        """Both directions finished: the sockets can go."""
        self.close()
        with self.lock:
            self.streams -= 1
            last = self.streams == 0
        if last:
            self.client.close()
            self.server.close()


class Stream(threading.Thread):
    """One direction of a connection: src -> dst, toward node `to`."""

    def __init__(self, conn, src, dst, to, record_dir):
        super().__init__(daemon=True)
        self.conn, self.src, self.dst, self.to = conn, src, dst, to
        self.buf = b""
        self.packets = 0
        self.raw = False
        self.fired = False
        self.record_dir = record_dir
        self.record = None

    def name_(self):
        return "conn %d to=%d %s" % (self.conn.id, self.to, self.conn.kind)

    def matches(self, m, cmd):
        if m["name"] == "pass" or m.get("to") != self.to:
            return False
        if m["name"] == "features":
            return cmd == P_CONNECTION_FEATURES
        if self.fired or m.get("sock") != self.conn.kind:
            return False
        if "n" in m and self.packets <= m["n"]:
            return False
        if "cmd" in m and cmd != m["cmd"]:
            return False
        return True

    def send(self, data):
        if self.record is None and self.record_dir and self.conn.kind != "?":
            self.record = open(os.path.join(self.record_dir, "conn%d.to%d.%s" % (
                self.conn.id, self.to, self.conn.kind)), "wb")
        if self.record:
            self.record.write(data)
            self.record.flush()
        self.dst.sendall(data)

    def stall(self, m):
        """Stop reading until the mode changes or the connection goes."""
        log("stall %s at pkt %d" % (self.name_(), self.packets))
        with mode_cond:
            gen = mode_gen
        while not self.conn.closed:
            with mode_cond:
                if mode_gen != gen and mode["name"] != "stall":
                    break
            # The peer may give up meanwhile: notice its FIN/RST without reading.
            p = select.poll()
            p.register(self.src, select.POLLRDHUP | select.POLLHUP | select.POLLERR)
            if p.poll(100):
                log("stalled %s: the sender hung up" % self.name_())
                return False
        log("resume %s" % self.name_())
        return not self.conn.closed

    def packet(self, hsize, cmd, length):
        """Forward (or mangle) one whole packet at buf's start.  False ends."""
        total = hsize + length
        pkt, self.buf = self.buf[:total], self.buf[total:]
        if self.packets == 0 and cmd in (P_INITIAL_DATA, P_INITIAL_META):
            self.conn.kind = "data" if cmd == P_INITIAL_DATA else "meta"
            log("conn %d to=%d %s" % (self.conn.id, self.to, self.conn.kind))
        self.packets += 1
        with mode_lock:
            m = dict(mode)
        if self.matches(m, cmd):
            what = "%s at pkt %d cmd 0x%04x" % (self.name_(), self.packets, cmd)
            if m["name"] == "features":
                lo, flags, hi = struct.unpack_from(">III", pkt, hsize)
                pkt = (pkt[:hsize] + struct.pack(">III", m["min"], flags, m["max"]) +
                       pkt[hsize + 12:])
                log("features %s %d-%d -> %d-%d" % (self.name_(), lo, hi, m["min"], m["max"]))
            elif m["name"] == "garbage":
                self.fired = True
                log("garbage " + what)
                self.send(GARBAGE)
            elif m["name"] == "cut":
                self.fired = True
                log("cut %s: %d of %d bytes" % (what, total // 2, total))
                self.send(pkt[:total // 2])
                return False
            elif m["name"] == "stall":
                self.fired = True
                self.buf = pkt + self.buf
                if not self.stall(m):
                    return False
                self.buf = self.buf[total:]
        self.send(pkt)
        return True

    def run(self):
        try:
            while not self.conn.closed:
                while not self.raw:
                    h = header_of(self.buf)
                    if h is None:
                        break
                    if h is False:
                        log("%s: framing lost after pkt %d, forwarding raw" % (self.name_(), self.packets))
                        self.raw = True
                        break
                    if len(self.buf) < h[0] + h[2]:
                        break
                    if not self.packet(*h):
                        return
                if self.raw and self.buf:
                    self.send(self.buf)
                    self.buf = b""
                data = self.src.recv(65536)
                if not data:
                    return
                self.buf += data
        except OSError:
            pass
        finally:
            if self.record:
                self.record.close()
            self.conn.stream_done()


def serve(listener, to, target, record_dir, rcvbuf):
    while True:
        client, _ = listener.accept()
        try:
            server = socket.socket()
            if rcvbuf:
                server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
            server.connect(("127.0.0.1", target))
        except OSError as e:
            log("connect to node %d (port %d) failed: %s" % (to, target, e))
            server.close()
            client.close()
            continue
        for s in (client, server):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn = Conn(client, server, to)
        log("accept conn %d to=%d" % (conn.id, to))
        Stream(conn, client, server, to, record_dir).start()
        Stream(conn, server, client, 1 - to, record_dir).start()


def main():
    global LOG
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--pidfile", required=True)
    ap.add_argument("--record")
    ap.add_argument("--rcvbuf", type=int, default=0)
    ap.add_argument("pairs", nargs=2)
    a = ap.parse_args()
    LOG = open(a.log, "a")
    listeners = []
    for k, pair in enumerate(a.pairs):
        lport, tport = (int(x) for x in pair.split(":"))
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if a.rcvbuf:  # inherited by accepted sockets
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.rcvbuf)
        s.bind(("127.0.0.1", lport))
        s.listen(16)
        listeners.append((s, k, tport))
    threading.Thread(target=watch_control, args=(a.control,), daemon=True).start()
    for s, k, tport in listeners:
        threading.Thread(target=serve, args=(s, k, tport, a.record, a.rcvbuf), daemon=True).start()
    with open(a.pidfile + ".tmp", "w") as f:
        f.write("%d\n" % os.getpid())
    os.rename(a.pidfile + ".tmp", a.pidfile)
    threading.Event().wait()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A stand-in for umcd's control socket, for the preload shim's tests.

Listens on an AF_UNIX SOCK_SEQPACKET socket (abstract name with a leading '@'),
answers generic-netlink requests the way the kernel does, and logs one line per
message received so a test can assert what crossed the shim:

  getfamily name=drbd pid=<nlmsg_pid> seq=<seq>
  join group=<n> pid=<pid>          (in-band NETLINK_ADD_MEMBERSHIP, type 0xfff0)
  leave group=<n> pid=<pid>         (type 0xfff1)
  request type=<t> flags=<f> cmd=<c> minor=<m> pid=<pid>

--family absent : CTRL_CMD_GETFAMILY "drbd" -> NLMSG_ERROR -ENOENT (no DRBD loaded)
--family drbd   : a NEWFAMILY reply like DRBD 8.4's (version 1, hdrsize 8, group
                  "events"); dump requests to it get an empty dump (NLMSG_DONE 0);
                  doit requests get EOPNOTSUPP, or with --doit ok (except GET_STATUS)
                  DRBD's success reply (ret_code NO_ERROR).

Readiness without sleeping: the listening socket is bound before the process
forks; the parent writes the daemon's pid to --pidfile and exits 0.
"""
import argparse, errno, os, select, signal, socket, struct, sys

NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_MULTI, NLM_F_DUMP = 0x2, 0x300
GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, CTRL_CMD_GETFAMILY = 0x10, 1, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_VERSION = 1, 2, 3
CTRL_ATTR_HDRSIZE, CTRL_ATTR_MAXATTR, CTRL_ATTR_MCAST_GROUPS = 4, 5, 7
CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 1, 2
NLA_F_NESTED = 0x8000
DRBD_FAMILY_ID, DRBD_EVENTS_GROUP = 0x1c, 0x1d
UMC_JOIN, UMC_LEAVE = 0xfff0, 0xfff1
DRBD_GET_STATUS, NO_ERROR = 2, 101


def nla(kind, payload):
    n = 4 + len(payload)
    return struct.pack("HH", n, kind) + payload + b"\0" * ((4 - n % 4) % 4)


def nlmsg(kind, flags, seq, pid, payload):
    return struct.pack("IHHII", 16 + len(payload), kind, flags, seq, pid) + payload


def parse_attrs(data):
    attrs = {}
    while len(data) >= 4:
        n, kind = struct.unpack_from("HH", data)
        if n < 4:
            break
        attrs[kind & 0x3fff] = data[4:n]
        data = data[(n + 3) & ~3:]
    return attrs


def family_reply(seq, pid):
    group = nla(1, nla(CTRL_ATTR_MCAST_GRP_ID, struct.pack("I", DRBD_EVENTS_GROUP)) +
                nla(CTRL_ATTR_MCAST_GRP_NAME, b"events\0"))
    attrs = (nla(CTRL_ATTR_FAMILY_NAME, b"drbd\0") + nla(CTRL_ATTR_FAMILY_ID, struct.pack("H", DRBD_FAMILY_ID)) +
             nla(CTRL_ATTR_VERSION, struct.pack("I", 1)) + nla(CTRL_ATTR_HDRSIZE, struct.pack("I", 8)) +
             nla(CTRL_ATTR_MAXATTR, struct.pack("I", 24)) + nla(CTRL_ATTR_MCAST_GROUPS | NLA_F_NESTED, group))
    return nlmsg(GENL_ID_CTRL, 0, seq, pid, struct.pack("BBH", CTRL_CMD_NEWFAMILY, 2, 0) + attrs)


def handle(conn, data, args, log):
    replies = []
    while len(data) >= 16:
        length, kind, flags, seq, pid = struct.unpack_from("IHHII", data)
        msg, data = data[:length], data[(length + 3) & ~3:]
        body = msg[16:]
        if kind in (UMC_JOIN, UMC_LEAVE):
            (group,) = struct.unpack_from("I", body)
            log.write("%s group=%d pid=%d\n" % ("join" if kind == UMC_JOIN else "leave", group, pid))
        elif kind == GENL_ID_CTRL and body[0] == CTRL_CMD_GETFAMILY:
            name = parse_attrs(body[4:]).get(CTRL_ATTR_FAMILY_NAME, b"").rstrip(b"\0").decode()
            log.write("getfamily name=%s pid=%d seq=%d\n" % (name, pid, seq))
            if args.family == "drbd" and name == "drbd":
                replies.append(family_reply(seq, pid))
            else:
                replies.append(nlmsg(NLMSG_ERROR, 0, seq, pid, struct.pack("i", -errno.ENOENT) + msg[:16]))
        else:
            cmd = body[0] if body else -1
            minor = struct.unpack_from("I", body, 4)[0] if len(body) >= 8 else -1
            log.write("request type=%d flags=%#x cmd=%d minor=%d pid=%d\n" % (kind, flags, cmd, minor, pid))
            if kind == DRBD_FAMILY_ID and flags & NLM_F_DUMP == NLM_F_DUMP:
                replies.append(nlmsg(NLMSG_DONE, NLM_F_MULTI, seq, pid, struct.pack("i", 0)))
            elif kind == DRBD_FAMILY_ID and args.doit == "ok" and cmd != DRBD_GET_STATUS:
                # What DRBD sends for a successful doit: same cmd, minor, ret_code NO_ERROR.
                replies.append(nlmsg(kind, 0, seq, pid, struct.pack("BBHIi", cmd, 1, 0, minor, NO_ERROR)))
            else:
                replies.append(nlmsg(NLMSG_ERROR, 0, seq, pid, struct.pack("i", -errno.EOPNOTSUPP) + msg[:16]))
    log.flush()
    for r in replies:
        conn.send(r)


def serve(listener, args):
    log = open(args.log, "a")
    conns = []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        ready, _, _ = select.select([listener] + conns, [], [])
        for s in ready:
            if s is listener:
                conns.append(listener.accept()[0])
                continue
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            if not data:
                conns.remove(s)
                s.close()
            else:
                handle(s, data, args, log)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--socket", required=True, help="path, or @name for an abstract name")
    p.add_argument("--log", required=True)
    p.add_argument("--pidfile", required=True)
    p.add_argument("--family", choices=["absent", "drbd"], default="absent")
    p.add_argument("--doit", choices=["refuse", "ok"], default="refuse",
                   help="refuse: doit requests get EOPNOTSUPP; ok: NO_ERROR (GET_STATUS is always refused)")
    args = p.parse_args()
    addr = "\0" + args.socket[1:] if args.socket.startswith("@") else args.socket
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(addr)
    listener.listen(16)
    pid = os.fork()
    if pid:
        with open(args.pidfile, "w") as f:
            f.write("%d\n" % pid)
        os._exit(0)
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    serve(listener, args)


if __name__ == "__main__":
    main()

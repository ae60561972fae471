#!/usr/bin/env python3
"""Malformed and hostile generic-netlink traffic on umcd's control socket.

Speaks the control socket's protocol directly (docs/preload.md): one
SOCK_SEQPACKET datagram = one or more netlink messages.  Each case prints
"ok <case>" or raises; the shell test then checks that umcd still serves.
"""
import os
import socket
import struct
import sys

NLMSG_ERROR = 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x4, 0x300
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NLA_F_NESTED = 1 << 15
DRBD_GENLA_F_MANDATORY = 1 << 14
DRBD_NLA_CFG_CONTEXT = 2
DRBD_ADM_GET_DEVICES = 31


def nla(t, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)


def nlmsg(t, flags, seq, payload):
    return struct.pack("=IHHII", 16 + len(payload), t, flags, seq, os.getpid()) + payload


def connect(root):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect("\0umc-ctl:" + os.path.realpath(root))
    s.settimeout(10)
    return s


def replies(s):
    """Messages of the next datagram: (type, payload) pairs."""
    data = s.recv(65536)
    out, off = [], 0
    while off + 16 <= len(data):
        ln, t, _flags, _seq, _pid = struct.unpack_from("=IHHII", data, off)
        if ln < 16:
            break
        out.append((t, data[off + 16:off + ln]))
        off += (ln + 3) & ~3
    return out


def error_of(msgs):
    for t, p in msgs:
        if t == NLMSG_ERROR:
            return struct.unpack_from("=i", p)[0]
    return None


def getfamily(s, name, seq):
    genl = struct.pack("=BBH", CTRL_CMD_GETFAMILY, 1, 0)
    s.send(nlmsg(GENL_ID_CTRL, NLM_F_REQUEST, seq, genl + nla(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0")))
    for t, p in replies(s):
        if t == GENL_ID_CTRL:
            off = 4
            while off + 4 <= len(p):
                ln, at = struct.unpack_from("=HH", p, off)
                if at == CTRL_ATTR_FAMILY_ID:
                    return struct.unpack_from("=H", p, off + 4)[0]
                off += (ln + 3) & ~3
        if t == NLMSG_ERROR:
            raise SystemExit(f"GETFAMILY {name}: error {struct.unpack_from('=i', p)[0]}")
    raise SystemExit("GETFAMILY: no family id in the reply")


def main():
    root = sys.argv[1]
    s = connect(root)
    fam = getfamily(s, "drbd", 1)
    print(f"ok getfamily drbd id={fam}")

    # A datagram shorter than a netlink header: ignored, no reply, the
    # connection stays usable.
    s.send(b"\x01\x02\x03")
    # A header whose length runs past the datagram: ignored too.
    s.send(struct.pack("=IHHII", 4096, fam, NLM_F_REQUEST, 2, 0))
    assert getfamily(s, "drbd", 3) == fam
    print("ok truncated messages ignored")

    # A family nobody registered: ENOENT, as the kernel says.
    s.send(nlmsg(0x7ff0, NLM_F_REQUEST | NLM_F_ACK, 4, struct.pack("=BBH", 1, 1, 0)))
    err = error_of(replies(s))
    assert err == -2, f"unknown family: expected -ENOENT, got {err}"
    print("ok unknown family -> ENOENT")

    # An unknown command of the drbd family: EOPNOTSUPP.
    s.send(nlmsg(fam, NLM_F_REQUEST, 5, struct.pack("=BBH", 250, 1, 0) + struct.pack("=II", 0, 0)))
    err = error_of(replies(s))
    assert err == -95, f"unknown command: expected -EOPNOTSUPP, got {err}"
    print("ok unknown command -> EOPNOTSUPP")

    # More than the server takes in one datagram (64 KiB): dropped whole.
    s.send(nlmsg(fam, NLM_F_REQUEST, 6, b"\0" * (100 * 1024)))
    assert getfamily(s, "drbd", 7) == fam
    print("ok oversized datagram dropped")

    # The request the hosted DRBD 8.4.11 crashes on (docs/hosted-build.md):
    # a GET_DEVICES dump whose context holds a mandatory attribute above the
    # policy's maxtype.  Refused with EINVAL before it reaches DRBD.
    ctx = nla(DRBD_NLA_CFG_CONTEXT | NLA_F_NESTED, nla(5 | DRBD_GENLA_F_MANDATORY, struct.pack("=I", 7)))
    body = struct.pack("=BBH", DRBD_ADM_GET_DEVICES, 1, 0) + struct.pack("=II", 0xffffffff, 0) + ctx
    s.send(nlmsg(fam, NLM_F_REQUEST | NLM_F_DUMP, 8, body))
    err = error_of(replies(s))
    assert err == -22, f"hosted-bug request: expected -EINVAL, got {err}"
    print("ok crashing dump refused with EINVAL")

    # A client that vanishes in the middle of a dump reply.
    t = connect(root)
    body = struct.pack("=BBH", 2, 1, 0) + struct.pack("=II", 0xffffffff, 0)  # GET_STATUS
    t.send(nlmsg(fam, NLM_F_REQUEST | NLM_F_DUMP, 1, body))
    t.close()
    assert getfamily(s, "drbd", 9) == fam
    print("ok reader gone mid-dump")
    s.close()


if __name__ == "__main__":
    main()

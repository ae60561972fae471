#!/usr/bin/env python3
"""Run one shell script in the kernel-peer guest over its command channel.

    guest_cmd.py SOCKET TIMEOUT <script

SOCKET is the unix socket qemu serves for the guest's ttyS1, where
umc-cmdloop (kp_image.sh) reads "UMC-CMD ID BASE64" lines and answers
"UMC-BEGIN ID\\n" OUTPUT "UMC-END ID RC\\n".  The script's output goes to
stdout, its exit status is ours.  Output of earlier commands still in flight
(another ID) is skipped.  Exit 124 when no answer came within TIMEOUT
seconds, 125 when the socket cannot be reached.
"""
import base64
import os
import re
import socket
import sys
import time


def main():
    path, timeout = sys.argv[1], float(sys.argv[2])
    script = sys.stdin.buffer.read()
    deadline = time.monotonic() + timeout
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    while True:
        try:
            sock.connect(path)
            break
        except OSError as e:
            if time.monotonic() > deadline:
                print(f"guest_cmd: cannot connect to {path}: {e}", file=sys.stderr)
                return 125
            time.sleep(0.1)
    cid = os.urandom(6).hex()
    # The leading newline ends any half line left in the guest's tty.
    sock.sendall(b"\nUMC-CMD %s %s\n" % (cid.encode(), base64.b64encode(script)))
    begin = b"UMC-BEGIN %s\n" % cid.encode()
    end = re.compile(rb"UMC-END %s (\d+)\n" % cid.encode())
    buf = b""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            print(f"guest_cmd: no answer within {timeout:g}s", file=sys.stderr)
            return 124
        sock.settimeout(left)
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        if not chunk:
            print("guest_cmd: the guest's channel closed (qemu gone?)", file=sys.stderr)
            return 125
        buf += chunk
        b = buf.find(begin)
        if b < 0:
            continue
        m = end.search(buf, b + len(begin))
        if not m:
            continue
        sys.stdout.buffer.write(buf[b + len(begin):m.start()])
        sys.stdout.flush()
        return int(m.group(1))


if __name__ == "__main__":
    sys.exit(main())

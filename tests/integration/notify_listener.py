#!/usr/bin/env python3
"""A stand-in for systemd's notification socket (sd_notify(3)).

Binds an AF_UNIX datagram socket at --socket (a path, or @name for an
abstract one, as $NOTIFY_SOCKET names it), creates --ready once it listens,
then writes one line per datagram to --log: the message's KEY=VALUE
assignments separated by spaces, then "mounted=yes" or "mounted=no" - whether
--root was a mount point when the datagram arrived (READY=1 must come after
umcd mounted its tree).  Runs until killed.
"""
import argparse
import os
import socket

ap = argparse.ArgumentParser()
ap.add_argument("--socket", required=True)
ap.add_argument("--root", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--ready", required=True)
args = ap.parse_args()

s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + args.socket[1:] if args.socket.startswith("@") else args.socket)
open(args.ready, "w").close()
with open(args.log, "a", buffering=1) as log:
    while True:
        msg = s.recv(4096).decode(errors="replace")
        mounted = "yes" if os.path.ismount(args.root) else "no"
        log.write(" ".join(msg.split("\n")) + " mounted=" + mounted + "\n")

#!/usr/bin/env python3
"""Seeds for the net fuzzer from streams drbd_wire_proxy.py recorded.

  net_fuzz_seeds.py [--max-bytes N] [--list] STREAM OUT

STREAM is one direction of a DRBD data or meta connection
(conn<N>.to<K>.data|meta, as `UMC_PROXY_RECORD=DIR
tests/integration/replication_bad_peer.sh` writes them).  OUT gets what
follows the handshake (P_INITIAL_DATA/META and P_CONNECTION_FEATURES are
dropped: the fuzzer plays those itself), whole packets only, at most N bytes
(default 49152).  --list prints the packets.
"""
import argparse, struct

MAGIC80, MAGIC95, MAGIC100 = 0x83740267, 0x835A, 0x8620EC20


def packets(data):
    off = 0
    while off + 8 <= len(data):
        (m32,) = struct.unpack_from(">I", data, off)
        if m32 == MAGIC100:
            _, _, cmd, length, _ = struct.unpack_from(">IHHII", data, off)
            hsize = 16
        elif m32 == MAGIC80:
            _, cmd, length = struct.unpack_from(">IHH", data, off)
            hsize = 8
        elif m32 >> 16 == MAGIC95:
            _, cmd, length = struct.unpack_from(">HHI", data, off)
            hsize = 8
        else:
            raise SystemExit("framing lost at offset %d" % off)
        end = off + hsize + length
        if end > len(data):
            return
        yield off, end, cmd
        off = end


ap = argparse.ArgumentParser()
ap.add_argument("--max-bytes", type=int, default=49152)
ap.add_argument("--list", action="store_true")
ap.add_argument("stream")
ap.add_argument("out", nargs="?")
a = ap.parse_args()
data = open(a.stream, "rb").read()
out = bytearray()
for off, end, cmd in packets(data):
    if a.list:
        print("%8d %6d 0x%04x" % (off, end - off, cmd))
    if cmd in (0xFFF1, 0xFFF2, 0xFFFE):
        continue
    if len(out) + end - off > a.max_bytes:
        break
    out += data[off:end]
if a.out:
    open(a.out, "wb").write(out)
    print("%s: %d bytes" % (a.out, len(out)))

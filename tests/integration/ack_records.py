#!/usr/bin/env python3
"""Acknowledged-write records for the kill -9 tests.

  ack_records.py write FILE ACKLOG [RATE]
                                     append 4 KiB records to FILE, fsync each,
                                     then log its number in ACKLOG (so ACKLOG
                                     lists only records the kernel acknowledged);
                                     at most RATE records a second if given
  ack_records.py check FILE ACKLOG   every logged record is in FILE, intact

Each record is self-describing (its number and a hash of it), so a lost,
torn or misplaced record is detected.
"""
import hashlib, os, sys, time
SIZE = 4096
def record(seq):
    head = b"REC %09d\n" % seq
    body = hashlib.sha256(head).digest() * (SIZE // 32)
    return head + body[:SIZE - len(head)]
mode, path, acklog = sys.argv[1:4]
if mode == "write":
    rate = float(sys.argv[4]) if len(sys.argv) > 4 else 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    due = time.monotonic()
    with open(acklog, "a", buffering=1) as ack:
        seq = 0
        while True:
            if rate:  # no catching up after a stall: never above RATE
                due = max(due, time.monotonic()) + 1.0 / rate
                time.sleep(max(0.0, due - time.monotonic()))
            if os.write(fd, record(seq)) != SIZE:
                sys.exit("short write")
            os.fsync(fd)
            ack.write("%d\n" % seq)
            seq += 1
else:
    acked = [int(l) for l in open(acklog).read().split("\n")[:-1]]
    assert acked == list(range(len(acked))), "ack log is not 0..n-1"
    data = open(path, "rb").read()
    for seq in acked:
        if data[seq * SIZE:(seq + 1) * SIZE] != record(seq):
            sys.exit("record %d (acknowledged) is missing or damaged; file has %d bytes"
                     % (seq, len(data)))
    print("%d acknowledged records intact; the file holds %d records"
          % (len(acked), len(data) // SIZE))

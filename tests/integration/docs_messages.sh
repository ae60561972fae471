#!/usr/bin/env bash
# Every message the operator's and the user guide's message tables quote is
# one that something on this machine can print: our own sources, the hosted
# DRBD source (extracted under $UMC_BUILD/hosted), Debian's drbd-utils
# binaries, util-linux (mount, losetup) or the C library's strerror.
#
# Each backtick span in a table's message column must be listed below, either
# as a message with the pieces it is made of, or as "not a message" (a
# command, a path).  A piece is searched in its source, and must also be part
# of the quoted text (its printf/fmt conversions match anything), unless it is
# marked aux (e.g. the enum line that gives a state-change code its number).
# A new quote in the tables fails here until it is listed.
. "$(dirname "$0")/lib.sh"
requires python3 --version
requires test -x /usr/lib/drbd/drbdsetup-84
requires test -x /usr/lib/drbd/drbdadm-84
requires test -x /usr/sbin/drbdmeta
requires test -x /usr/sbin/losetup
hosted="$UMC_BUILD/hosted/linux-source-6.1"
[ -d "$hosted/drivers/block/drbd" ] || skip "needs the hosted DRBD source in $hosted"

top=$(cd "$(dirname "$0")/../.." && pwd)
python3 - "$top" "$hosted" <<'PY' || fail "the guides quote messages nothing here prints (see above)"
import errno, glob, os, re, subprocess, sys

top, hosted = sys.argv[1], sys.argv[2]

# ---- where messages come from ----------------------------------------------
def files_under(root, dirs, exts):
    out = []
    for d in dirs:
        for dirpath, _, names in os.walk(os.path.join(root, d)):
            out += [os.path.join(dirpath, n) for n in names if n.endswith(exts)]
    return out

def read_all(paths):
    data = []
    for p in paths:
        try:
            data.append(open(p, "rb").read())
        except OSError:
            pass
    return b"\n".join(data)

def libmount():
    out = subprocess.run(["ldd", "/usr/bin/mount"], capture_output=True, text=True).stdout
    m = re.search(r"libmount\.so\.1 => (\S+)", out)
    return [m.group(1)] if m else []

SOURCES = {
    "umc": read_all(files_under(top, ["tools", "umc", "fuse_nodes", "bio_backends", "mte", "drbd-shim"],
                                (".c", ".cpp", ".h", ".hpp", ".sh"))),
    "tests": read_all(glob.glob(os.path.join(top, "tests/integration/*.sh"))),
    "drbd": read_all(glob.glob(os.path.join(hosted, "drivers/block/drbd/*.[ch]")) +
                     glob.glob(os.path.join(hosted, "include/linux/drbd*.h"))),
    "utils": read_all(["/usr/sbin/drbdadm", "/usr/lib/drbd/drbdadm-84", "/usr/lib/drbd/drbdsetup-84",
                       "/usr/sbin/drbdsetup", "/usr/sbin/drbdmeta"]),
    "util-linux": read_all(["/usr/bin/mount", "/usr/sbin/losetup"] + libmount()),
}
STRERROR = {os.strerror(n) for n in errno.errorcode}

def found(source, needle):
    if source == "errno":
        return needle in STRERROR
    if source == "errname":
        return hasattr(errno, needle)
    # Blanks in the needle match any run of blanks (tabs in enums).
    pattern = rb"\s+".join(re.escape(w.encode()) for w in re.split(r"\s+", needle.strip()))
    if needle[:1].isspace():
        pattern = rb"\s" + pattern
    if needle[-1:].isspace():
        pattern += rb"\s"
    return re.search(pattern, SOURCES[source]) is not None

def part_of(needle, message):
    """The needle, with printf/fmt conversions as wildcards, occurs in message."""
    parts = re.split(r"%[-#0-9.*]*(?:ll|l|h|z)?[sdiuxXcpm]|\{\}", needle)
    return re.search(".*?".join(re.escape(p) for p in parts), message) is not None

# ---- what the tables quote ------------------------------------------------------
UTILS_STATE = ("utils", "%s: State change failed: (%d) %s")
UTILS_FAILURE = ("utils", "%s: Failure: (%d) %s")
UTILS_COMMAND = [("utils", "Command '"), ("utils", "' terminated with exit code %d")]
MESSAGES = {
    "1: State change failed: (-2) Need access to UpToDate data":
        [UTILS_STATE, ("drbd", "Need access to UpToDate data"), ("drbd", "SS_NO_UP_TO_DATE_DISK = -2", "aux")],
    "1: State change failed: (-12) Device is held open by someone":
        [UTILS_STATE, ("drbd", "Device is held open by someone"), ("drbd", "SS_DEVICE_IN_USE = -12", "aux")],
    "r0: State change failed: (-12) Device is held open by someone":
        [UTILS_STATE, ("drbd", "Device is held open by someone"), ("drbd", "SS_DEVICE_IN_USE = -12", "aux")],
    "State change failed: (-12) Device is held open by someone":
        [("utils", "State change failed: ("), ("drbd", "Device is held open by someone"),
         ("drbd", "SS_DEVICE_IN_USE = -12", "aux")],
    "additional info from kernel:": [("utils", "additional info from kernel:")],
    "failed to demote": [("drbd", '"failed to demote"')],
    "EROFS": [("errname", "EROFS")],
    "EMEDIUMTYPE": [("errname", "EMEDIUMTYPE")],
    "Read-only file system": [("errno", "Read-only file system")],
    "Wrong medium type": [("errno", "Wrong medium type")],
    "mount: /mnt: failed to setup loop device for /UMCfuse/dev/drbd1.":
        [("util-linux", "failed to setup loop device for %s")],
    "failed to setup loop device for /UMCfuse/dev/drbdN": [("util-linux", "failed to setup loop device for %s")],
    "failed to set up loop device: Wrong medium type":
        [("util-linux", "failed to set up loop device"), ("errno", "Wrong medium type")],
    "Device '1' is configured!": [("utils", "Device '%s' is configured!")],
    "Device 'N' is configured!": [("utils", "Device '%s' is configured!")],
    "Command 'drbdmeta 1 v08 ... apply-al' terminated with exit code 20": UTILS_COMMAND,
    "Command 'drbdmeta 1 v08 /UMCfuse/dev/dX internal apply-al' terminated with exit code 20": UTILS_COMMAND,
    "Command '/sbin/drbdsetup status r0' terminated with exit code 20": UTILS_COMMAND,
    "r0: Failure: (102) Local address(port) already in use.":
        [UTILS_FAILURE, ("utils", "Local address(port) already in use."), ("drbd", "ERR_LOCAL_ADDR\t\t= 102", "aux")],
    "'r1' not defined in your config (for this host).":
        [("utils", "'%s' not defined in your config (for this host).")],
    "r1: Failure: (158) Unknown resource":
        [UTILS_FAILURE, ("utils", "Unknown resource"), ("drbd", "ERR_RES_NOT_KNOWN\t= 158", "aux")],
    "unknown resource": [("drbd", "unknown resource")],
    "7: Failure: (127) Device minor not allocated":
        [UTILS_FAILURE, ("utils", "Device minor not allocated"), ("drbd", "ERR_MINOR_INVALID\t= 127", "aux")],
    "unknown minor": [("drbd", "unknown minor")],
    "open(/UMCfuse/dev/dX) failed: No such file or directory":
        [("utils", "open(%s) failed: %m"), ("errno", "No such file or directory")],
    "Unconfigured": [("utils", "Unconfigured")],
    "/UMCfuse/dev/tiny is only 65536 bytes. That's not enough.": [("utils", "%s is only %llu bytes. That's not enough.")],
    "1: Failure: (112) Meta device too small.":
        [UTILS_FAILURE, ("utils", "Meta device too small."), ("drbd", "ERR_MD_DISK_TOO_SMALL\t= 112", "aux")],
    "r0: Operation not permitted": [("utils", "%s: %s"), ("errno", "Operation not permitted")],
    "open(/var/lock/drbd-147-1): Permission denied":
        [("utils", "open(%s): %m"), ("utils", "%s/drbd-%d-%d", "aux"), ("utils", "/var/lock", "aux"),
         ("errno", "Permission denied")],
    "open(/var/lock/drbd-147-N): Permission denied":
        [("utils", "open(%s): %m"), ("utils", "%s/drbd-%d-%d", "aux"), ("errno", "Permission denied")],
    'Found meta data is "unclean", please apply-al first': [("utils", 'Found meta data is "unclean", please apply-al first')],
    "Could not stat /proc/drbd: No such file or directory":
        [("utils", "Could not stat /proc/drbd: %m"), ("errno", "No such file or directory")],
    "Make sure that the DRBD kernel module is installed and can be loaded!":
        [("utils", "Make sure that the DRBD kernel module is installed and can be loaded!")],
    "Failed to modprobe drbd (No such file or directory)":
        [("utils", "Failed to modprobe drbd (%m)"), ("errno", "No such file or directory")],
    "BAD LUCK, equal hashes": [("utils", "BAD LUCK, equal hashes")],
    "drbdadm: libumc-preload.so not found (...)": [("umc", "%s: libumc-preload.so not found (")],
    "'r0' not defined in your config (for this host).":
        [("utils", "'%s' not defined in your config (for this host).")],
    "state_dir ... is in use by another umcd (pid N)":
        [("umc", "\" is in use by another umcd (pid \"")],
    "umcd.conf:3: node_name 'al pha' is not a valid node name (...)":
        [("umc", "node_name '"), ("umc", "' is not a valid node name ")],
    "state_dir /var/lib/umc/alpha is in use by another umcd (pid 4242); give each node its own node_name or state_dir":
        [("umc", "\" is in use by another umcd (pid \""), ("umc", "\"); give each node its own node_name or state_dir\"")],
    "libumc-preload: cannot reach umcd's control socket @umc-ctl:/UMCfuse: Connection refused (is umcd running for UMC_FS_ROOT=/UMCfuse?)":
        [("umc", "libumc-preload: cannot reach umcd's control socket %s: %s "),
         ("umc", "(is umcd running for UMC_FS_ROOT=%s?)"), ("umc", '"@umc-ctl:', "aux"),
         ("errno", "Connection refused")],
    "Could not connect to 'drbd' generic netlink family": [("utils", "Could not connect to 'drbd' generic netlink family")],
    "/var/lock/drbd-147-N exists: minor N is in use on this host":
        [("tests", " exists: minor "), ("tests", " is in use on this host"), ("tests", "/var/lock/drbd-147-", "aux")],
    "Missing section 'on <PEER> { ... }'": [("utils", "Missing section 'on <PEER> { ... }'")],
    "initial packet S crossed": [("drbd", "initial packet S crossed")],
    "leak report: ...": [("umc", "leak report: ")],
    "umcd.conf:7: device 'd0' is defined twice (first at line 3)":
        [("umc", "' is defined twice (first at line ")],
    "device 'd0' (line 3, backend uring): /srv/d0.img: no such file (create=1 with size= creates it)":
        [("umc", "\"device '\""), ("umc", "\"' (line \""), ("umc", "\", backend \""),
         ("umc", "%s: no such file (create=1 with size= creates it)")],
    "device 'd0' (line 3, backend uring): /srv/d0.img: cannot create: /srv: Permission denied":
        [("umc", "\"' (line \""), ("umc", "%s: cannot create: %s: %s"), ("errno", "Permission denied")],
    "device 'd0' (line 3, backend ram): bad size size=12 parsecs (want a positive number with optional K/M/G/T)":
        [("umc", "\"' (line \""), ("umc", "bad size %.*s=%s (want a positive number with optional K/M/G/T)")],
    "device 'd0' (line 3, backend ram): ram: unknown option 'colour' (accepted: size)":
        [("umc", "\"' (line \""), ("umc", "\": unknown option '\""), ("umc", "\"' (accepted: \""),
         ("umc", 'ram_keys[] = {"size", nullptr}', "aux")],
    "unknown backend 'floppy' (umcd --list-backends shows them)":
        [("umc", "unknown backend '\""), ("umc", "\"' (umcd --list-backends shows them)\"")],
    # The operator's guide, "Replicating with a kernel DRBD node": a kernel
    # node's log says what umcd's says (tests/kernel-peer).
    "peer( Primary -> Unknown )": [("drbd", "peer( %s -> %s )"), ("drbd", '"Primary"'), ("drbd", '"Unknown"')],
    "WFConnection": [("drbd", '"WFConnection"')],
    "StandAlone": [("drbd", '"StandAlone"')],
    "UpToDate/DUnknown": [("drbd", '"UpToDate"'), ("drbd", '"DUnknown"')],
    "Authentication of peer failed": [("drbd", "Authentication of peer failed")],
    "Discarding network configuration.": [("drbd", "Discarding network configuration.")],
    "incompatible data-integrity-alg settings":
        [("drbd", "incompatible %s settings"), ("drbd", '"data-integrity-alg"')],
    "Online verify found 1 4k block out of sync!": [("drbd", "Online verify found %lu %dk block out of sync!")],
    "cannot serve /UMCfuse: FUSE root /UMCfuse is busy: already a mount there (...)":
        [("umc", "\"cannot serve \""), ("umc", "\"FUSE root \""), ("umc", "\" is busy: already a mount there (\"")],
}
NOT_MESSAGES = {
    "losetup -f --show /UMCfuse/dev/drbd1", "dstate", "drbdadm down", "role", "status", "primary", "secondary",
    "attach", "drbdadm apply-al r0", "tools/umc drbdadm", "modprobe", "/dev/drbdN", "drbdadm up", "mount",
    "losetup", "dd", "mkfs", "down", "oos", "drbdadm verify",
}

def table_cells(path, heading, col):
    lines = open(path).read().splitlines()
    level = len(heading.split(" ")[0])
    inside, rows = False, []
    for line in lines:
        if line.startswith("#"):
            if line.strip() == heading:
                inside = True
                continue
            if inside and len(line.split(" ")[0]) <= level:
                break
        if inside and line.startswith("|") and not re.fullmatch(r"\|[-| :]+\|", line.strip()):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows.append(cells[col] if col < len(cells) else "")
    if not rows:
        sys.exit(f"{path}: no table under '{heading}'")
    return rows[1:]  # the header row

TABLES = [
    ("docs/drbd-operator-guide.md", "### What DRBD refuses, with the kernel's words", 1),
    ("docs/drbd-operator-guide.md", "## Troubleshooting", 0),
    ("docs/drbd-operator-guide.md", "### Failure modes", 0),
    ("docs/user-guide.md", "## Troubleshoot", 0),
]
problems, checked = [], 0
for doc, heading, col in TABLES:
    for cell in table_cells(os.path.join(top, doc), heading, col):
        for quote in re.findall(r"`([^`]+)`", cell):
            if quote in NOT_MESSAGES:
                continue
            if quote not in MESSAGES:
                problems.append(f"{doc}: `{quote}` is not listed in tests/integration/docs_messages.sh")
                continue
            checked += 1
            for piece in MESSAGES[quote]:
                source, needle = piece[0], piece[1]
                if not found(source, needle):
                    problems.append(f"{doc}: `{quote}`: {source} has no {needle!r}")
                elif len(piece) < 3 and source not in ("errname",) and not part_of(needle.strip('"'), quote):
                    problems.append(f"{doc}: `{quote}` does not contain {source}'s {needle!r}")
for p in problems:
    print(p)
print(f"{checked} quoted messages checked, {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
PY

"""The network guard and the environment checks behind `paper2fa doctor`.

The guard is an audit hook (PEP 578) that stops this process from using the network and from
starting other programs while a command runs (`guarded()`, entered by `paper2fa`'s `main`): it
refuses outgoing connections, DNS look-ups, sendto and binds to non-loopback addresses, and every
way Python starts a program (a child Python would not carry the hook); creating a socket stays
allowed so interface checks work. Native code can bypass audit hooks, so the real guarantee is a
machine without a network, which `check_environment` reports on: network interfaces up other
than loopback (in this process's network namespace), swap, whether this is a live system, the
UTC time, and the decoders and libraries available (libzbar is found by path, without running
`ldconfig` as `ctypes.util.find_library` does).
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import glob
import importlib.util
import ipaddress
import os
import socket
import struct
import sys
import sysconfig
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from toolkit.errors import OfflineError

_hook_added = False
_active = 0
_lock = threading.Lock()

_DNS_EVENTS = frozenset(
    {
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.gethostbyname_ex",
        "socket.getnameinfo",
    }
)

PROGRAM_EVENTS = frozenset({"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn",
                            "os.spawn", "os.startfile"})
"""Audit events of starting another program. `os.fork` stays allowed: a forked child is this
process again, hook included, and refused the same way if it tries to run a program."""

FRESH_INTERPRETER_MODULES = frozenset({"multiprocessing.popen_spawn_posix",
                                       "multiprocessing.popen_forkserver"})
"""multiprocessing's "spawn" and "forkserver" start a new Python through
`_posixsubprocess.fork_exec`, which raises no audit event (Python 3.11): their modules are not
imported while the guard is on."""

_REFUSED_PROGRAM_HINT = ("paper2fa runs no other program; this is a bug in paper2fa or a "
                         "library it uses: report it with the output of -v")


def _is_loopback(address: Any) -> bool:
    host = address[0] if isinstance(address, tuple) and address else address
    if not isinstance(host, str):
        return False
    if host in ("", "localhost"):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _is_local_socket(sock: Any) -> bool:
    family = getattr(sock, "family", None)
    return family is not None and family == getattr(socket, "AF_UNIX", object())


def _program_name(event: str, args: tuple[Any, ...]) -> str:
    first = args[0] if args else None
    if isinstance(first, (str, bytes, os.PathLike)):
        text = os.fsdecode(first)
        return os.path.basename(text.split()[0]) if text.strip() else event
    return event


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _active:
        return
    if event in _DNS_EVENTS:
        raise OfflineError(f"network access refused: {event.split('.', 1)[1]} (DNS look-up)")
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        sock = args[0] if args else None
        if _is_local_socket(sock):
            return
        if event == "socket.sendmsg" and (len(args) < 2 or args[1] is None):
            return  # sendmsg on a connected socket: the connect was already checked
        raise OfflineError(f"network access refused: {event.split('.', 1)[1]}")
    if event == "socket.bind":
        sock, address = (*args, None, None)[:2]
        if _is_local_socket(sock) or _is_loopback(address):
            return
        raise OfflineError("network access refused: bind to a non-loopback address")
    if event in PROGRAM_EVENTS:
        raise OfflineError(f"starting another program refused: {_program_name(event, args)} "
                           f"({event})", hint=_REFUSED_PROGRAM_HINT)
    if event == "import" and args and args[0] in FRESH_INTERPRETER_MODULES:
        raise OfflineError(f"starting a new Python process refused ({args[0]})",
                           hint=_REFUSED_PROGRAM_HINT)


@contextlib.contextmanager
def guarded() -> Iterator[None]:
    """The guard on for the duration of the block (in every thread of this process).

    The audit hook is added to the process once and cannot be removed (PEP 578); outside every
    `guarded()` block it lets everything through, so a test process that runs commands through
    `main` can still run ruff, mypy or `unshare` between them. Blocks may nest.
    """
    global _hook_added, _active
    with _lock:
        if not _hook_added:
            sys.addaudithook(_hook)
            _hook_added = True
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1


def is_active() -> bool:
    """Whether the guard is on now (inside a `guarded()` block, as every command runs)."""
    return _active > 0


# --- environment checks (`paper2fa doctor`) -------------------------------------------------

_SIOCGIFFLAGS = 0x8913
_IFF_UP = 0x1
_IFF_LOOPBACK = 0x8


@dataclass(frozen=True)
class Interface:
    """A network interface of this network namespace."""

    name: str
    up: bool
    loopback: bool


@dataclass(frozen=True)
class Component:
    """A decoder or library paper2fa uses; version None when it is not available."""

    name: str
    version: str | None
    role: str
    required: bool

    @property
    def available(self) -> bool:
        return self.version is not None


@dataclass(frozen=True)
class Finding:
    """One line of the doctor's verdict: level is "fatal", "error" or "warning"."""

    level: str
    message: str
    fix: str


@dataclass(frozen=True)
class DoctorReport:
    """What `paper2fa doctor` found. Pure data: computed by `check_environment`."""

    now_utc: datetime
    interfaces: tuple[Interface, ...]
    interface_source: str
    swap: tuple[str, ...]
    live_reasons: tuple[str, ...]
    components: tuple[Component, ...]
    guard_installed: bool

    @property
    def online_interfaces(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.interfaces if i.up and not i.loopback)

    @property
    def live(self) -> bool:
        return bool(self.live_reasons)

    @property
    def findings(self) -> tuple[Finding, ...]:
        found: list[Finding] = []
        online = self.online_interfaces
        if online:
            found.append(Finding(
                "fatal", f"network interfaces up other than loopback: {', '.join(online)}",
                "unplug every network cable, switch Wi-Fi and Bluetooth off (or remove them), or "
                "boot the paper2fa offline image (bootable/CHECKLIST.md)"))
        for c in self.components:
            if c.required and not c.available:
                found.append(Finding("error", f"{c.name} is missing ({c.role})",
                                     "reinstall paper2fa with ./install.sh or the offline bundle"))
        if self.swap:
            found.append(Finding(
                "warning", f"swap is on ({', '.join(self.swap)}): memory holding secrets may be "
                "written to disk", "turn it off with `swapoff -a`, or boot the offline image"))
        if not self.live:
            found.append(Finding(
                "warning", "this is not a live system: files written here stay on its disk",
                "boot the paper2fa offline image, which keeps everything in memory"))
        return tuple(found)

    @property
    def exit_code(self) -> int:
        """10 (OfflineError's code) when online, 1 when a required library is missing, else 0."""
        levels = {f.level for f in self.findings}
        if "fatal" in levels:
            return OfflineError.exit_code
        return 1 if "error" in levels else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "time_utc": self.now_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "online": bool(self.online_interfaces),
            "online_interfaces": list(self.online_interfaces),
            "interfaces": [{"name": i.name, "up": i.up, "loopback": i.loopback}
                           for i in self.interfaces],
            "interface_source": self.interface_source,
            "swap": list(self.swap),
            "live": self.live,
            "live_reasons": list(self.live_reasons),
            "guard_installed": self.guard_installed,
            "components": [{"name": c.name, "version": c.version, "role": c.role,
                            "required": c.required} for c in self.components],
            "findings": [{"level": f.level, "message": f.message, "fix": f.fix}
                         for f in self.findings],
            "exit_code": self.exit_code,
        }


def _ioctl_flags(name: str) -> int:
    """The interface's flags (SIOCGIFFLAGS), in this process's network namespace."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH14x", name.encode()[:15], 0)
        answer = fcntl.ioctl(sock.fileno(), _SIOCGIFFLAGS, request)
    flags: int = struct.unpack("16sH14x", answer)[1]
    return flags


def _proc_net_dev_names(path: Path) -> list[str]:
    names = []
    for line in path.read_text().splitlines()[2:]:
        if ":" in line:
            names.append(line.split(":", 1)[0].strip())
    return names


def list_interfaces(
    names: Callable[[], Sequence[tuple[int, str]]] = socket.if_nameindex,
    flags: Callable[[str], int] = _ioctl_flags,
    proc_net_dev: Path = Path("/proc/net/dev"),
) -> tuple[tuple[Interface, ...], str]:
    """The interfaces of this network namespace and how they were found.

    socket.if_nameindex() plus each interface's flags; when that fails, the names in
    /proc/net/dev, each counted as up unless it is lo (flags unknown: assume the worst).
    """
    try:
        found = []
        for _index, name in names():
            value = flags(name)
            found.append(Interface(name, bool(value & _IFF_UP), bool(value & _IFF_LOOPBACK)))
        return tuple(found), "if_nameindex+SIOCGIFFLAGS"
    except OSError:
        pass
    try:
        listed = _proc_net_dev_names(proc_net_dev)
    except OSError:
        return (Interface("(unknown: no interface list could be read)", True, False),), "none"
    return tuple(Interface(n, n != "lo", n == "lo") for n in listed), str(proc_net_dev)


def online_interfaces(
    names: Callable[[], Sequence[tuple[int, str]]] = socket.if_nameindex,
    flags: Callable[[str], int] = _ioctl_flags,
    proc_net_dev: Path = Path("/proc/net/dev"),
) -> tuple[str, ...]:
    """Names of the interfaces up other than loopback; empty when the machine is offline."""
    interfaces, _ = list_interfaces(names, flags, proc_net_dev)
    return tuple(i.name for i in interfaces if i.up and not i.loopback)


def active_swap(proc_swaps: Path = Path("/proc/swaps")) -> tuple[str, ...]:
    """The swap areas in use (from /proc/swaps); empty when there is none or it cannot be read."""
    try:
        lines = proc_swaps.read_text().splitlines()[1:]
    except OSError:
        return ()
    return tuple(line.split()[0].replace("\\040", " ") for line in lines if line.strip())


def live_marker_reasons(
    run_live: Path = Path("/run/live"),
    cmdline: Path = Path("/proc/cmdline"),
) -> tuple[str, ...]:
    """The live system's own marks, as live-boot (and so the paper2fa offline image) leaves
    them: /run/live, and boot=live on the kernel command line. A container's overlay root has
    neither. Empty when this was not started as a live system."""
    reasons = []
    if run_live.is_dir():
        reasons.append(f"{run_live} exists")
    try:
        if "boot=live" in cmdline.read_text().split():
            reasons.append("boot=live on the kernel command line")
    except OSError:
        pass
    return tuple(reasons)


def live_system_reasons(
    run_live: Path = Path("/run/live"),
    cmdline: Path = Path("/proc/cmdline"),
    mounts: Path = Path("/proc/mounts"),
) -> tuple[str, ...]:
    """Why this looks like a live system (empty when it does not)."""
    reasons = list(live_marker_reasons(run_live, cmdline))
    try:
        root_type = ""
        for line in mounts.read_text().splitlines():
            fields = line.split()
            if len(fields) >= 3 and fields[1] == "/":
                root_type = fields[2]  # the last mount on / is the one in use
        if root_type in ("overlay", "tmpfs", "ramfs", "squashfs"):
            reasons.append(f"the root file system is {root_type}")
    except OSError:
        pass
    return tuple(reasons)


def _dist_version(dist: str) -> str | None:
    import importlib.metadata  # slow to import; only the doctor needs it

    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


LIBZBAR_NAMES = ("libzbar.so.0", "libzbar.so")
"""File names of libzbar (Debian's libzbar0 installs libzbar.so.0)."""


def library_folders(environ: Mapping[str, str] = os.environ,
                    ld_so_conf: Path = Path("/etc/ld.so.conf")) -> tuple[Path, ...]:
    """Where the dynamic linker looks for libraries, read from files: LD_LIBRARY_PATH, the
    folders of /etc/ld.so.conf (and its includes), then the standard ones for this machine."""
    folders: list[str] = [f for f in environ.get("LD_LIBRARY_PATH", "").split(":") if f]
    folders.extend(_ld_so_conf_folders(ld_so_conf, depth=0))
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    for base in ("/lib", "/usr/lib", "/usr/local/lib"):
        if multiarch:
            folders.append(f"{base}/{multiarch}")
    folders.extend(["/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib"])
    unique: list[Path] = []
    for folder in folders:
        if Path(folder) not in unique:
            unique.append(Path(folder))
    return tuple(unique)


def _ld_so_conf_folders(path: Path, depth: int) -> list[str]:
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return []
    folders: list[str] = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        words = line.split(None, 1)
        if words and words[0] == "include" and depth < 4:
            pattern = words[1] if len(words) == 2 else ""
            if pattern and not os.path.isabs(pattern):
                pattern = str(path.parent / pattern)
            for included in sorted(glob.glob(pattern)) if pattern else ():
                folders.extend(_ld_so_conf_folders(Path(included), depth + 1))
        elif line.startswith("/"):
            folders.append(line)
    return folders


def find_libzbar(folders: Sequence[Path] | None = None) -> Path | None:
    """The path of libzbar in the library folders, or None; nothing is run to find it."""
    for folder in folders if folders is not None else library_folders():
        for name in LIBZBAR_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
    return None


@cache
def load_libzbar() -> ctypes.CDLL | None:
    """libzbar, loaded by path once for the process (None when it is not installed)."""
    path = find_libzbar()
    if path is None:
        return None
    try:
        return ctypes.CDLL(str(path))
    except OSError:
        return None


def libzbar_version() -> str | None:
    """The version of the system's libzbar (pyzbar's decoder), None when it cannot be loaded."""
    lib = load_libzbar()
    if lib is None:
        return None
    try:
        major, minor, patch = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
        lib.zbar_version(ctypes.byref(major), ctypes.byref(minor), ctypes.byref(patch))
    except AttributeError:
        return None
    return f"{major.value}.{minor.value}.{patch.value}"


# (name shown, distribution, import name, role, required)
_PYTHON_COMPONENTS = (
    ("zxing-cpp", "zxing-cpp", "zxingcpp", "QR decoder, URI QR encoder", True),
    ("pyzbar", "pyzbar", "pyzbar", "second QR decoder, needs libzbar", False),
    ("pypdfium2", "pypdfium2", "pypdfium2", "reads scanned PDFs", True),
    ("cryptography", "cryptography", "cryptography", "sealing and app exports", True),
    ("reportlab", "reportlab", "reportlab", "PDF sheets", True),
    ("segno", "segno", "segno", "QR encoder (frames, shares)", True),
    ("pyshamir", "pyshamir", "pyshamir", "k-of-n key splitting", True),
    ("shamir-mnemonic", "shamir-mnemonic", "shamir_mnemonic", "SLIP-39 shares", True),
    ("pyotp", "pyotp", "pyotp", "one-time codes", True),
    ("pillow", "pillow", "PIL", "images", True),
    ("pillow-heif", "pillow-heif", "pillow_heif", "HEIC photos", False),
    ("pynacl", "pynacl", "nacl", "app exports (libsodium)", True),
    ("anyascii", "anyascii", "anyascii", "holder names in file names", True),
    ("av", "av", "av", "camera and video files (PyAV, FFmpeg inside)", False),
)


def list_components(
    version_of: Callable[[str], str | None] = _dist_version,
    importable: Callable[[str], bool] = _importable,
    zbar_version: Callable[[], str | None] = libzbar_version,
) -> tuple[Component, ...]:
    """The decoders and libraries, each with its version (None when not available)."""
    found = []
    for name, dist, module, role, required in _PYTHON_COMPONENTS:
        version = version_of(dist) if importable(module) else None
        found.append(Component(name, version, role, required))
    found.append(Component("libzbar", zbar_version(), "pyzbar's system library (libzbar0)",
                           False))
    return tuple(found)


def check_environment(
    now: datetime,
    *,
    interfaces: tuple[tuple[Interface, ...], str] | None = None,
    proc: Path = Path("/proc"),
    run_live: Path = Path("/run/live"),
    components: tuple[Component, ...] | None = None,
) -> DoctorReport:
    """Check this machine for `paper2fa doctor`. `now` must be timezone-aware (UTC)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    found, source = interfaces if interfaces is not None else list_interfaces(
        proc_net_dev=proc / "net" / "dev")
    return DoctorReport(
        now_utc=now,
        interfaces=found,
        interface_source=source,
        swap=active_swap(proc / "swaps"),
        live_reasons=live_system_reasons(run_live, proc / "cmdline", proc / "mounts"),
        components=components if components is not None else list_components(),
        guard_installed=is_active(),
    )

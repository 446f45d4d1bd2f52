"""The network guard and the environment checks behind `paper2fa doctor`.

The guard is an audit hook (PEP 578) that stops this process from using the network: it refuses
outgoing connections, DNS look-ups, sendto and binds to non-loopback addresses; creating a
socket stays allowed so interface checks work. Native code can bypass audit hooks, so the real
guarantee is a machine without a network, which `check_environment` reports on: network
interfaces up other than loopback (in this process's network namespace), swap, whether this is
a live system, the UTC time, and the decoders and libraries available.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import importlib.metadata
import importlib.util
import ipaddress
import socket
import struct
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from toolkit.errors import OfflineError

_installed = False

_DNS_EVENTS = frozenset(
    {
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.gethostbyname_ex",
        "socket.getnameinfo",
    }
)


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


def _hook(event: str, args: tuple[Any, ...]) -> None:
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


def install() -> None:
    """Install the guard for the rest of this process (idempotent; hooks cannot be removed)."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True


def is_installed() -> bool:
    return _installed


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


def live_system_reasons(
    run_live: Path = Path("/run/live"),
    cmdline: Path = Path("/proc/cmdline"),
    mounts: Path = Path("/proc/mounts"),
) -> tuple[str, ...]:
    """Why this looks like a live system (empty when it does not)."""
    reasons = []
    if run_live.is_dir():
        reasons.append(f"{run_live} exists")
    try:
        if "boot=live" in cmdline.read_text().split():
            reasons.append("boot=live on the kernel command line")
    except OSError:
        pass
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
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def libzbar_version() -> str | None:
    """The version of the system's libzbar (pyzbar's decoder), None when it cannot be loaded."""
    path = ctypes.util.find_library("zbar")
    if path is None:
        return None
    try:
        lib = ctypes.CDLL(path)
        major, minor, patch = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
        lib.zbar_version(ctypes.byref(major), ctypes.byref(minor), ctypes.byref(patch))
    except (OSError, AttributeError):
        return None
    return f"{major.value}.{minor.value}.{patch.value}"


# (name shown, distribution, import name, role, required)
_PYTHON_COMPONENTS = (
    ("zxing-cpp", "zxing-cpp", "zxingcpp", "QR decoder", True),
    ("pyzbar", "pyzbar", "pyzbar", "second QR decoder, needs libzbar", False),
    ("pypdfium2", "pypdfium2", "pypdfium2", "reads scanned PDFs", True),
    ("cryptography", "cryptography", "cryptography", "sealing and app exports", True),
    ("reportlab", "reportlab", "reportlab", "PDF sheets", True),
    ("qrcode", "qrcode", "qrcode", "QR encoder", True),
    ("pyshamir", "pyshamir", "pyshamir", "k-of-n key splitting", True),
    ("shamir-mnemonic", "shamir-mnemonic", "shamir_mnemonic", "SLIP-39 shares", True),
    ("reedsolo", "reedsolo", "reedsolo", "erasure coding of QR frames", True),
    ("pyotp", "pyotp", "pyotp", "one-time codes", True),
    ("pillow", "pillow", "PIL", "images", True),
    ("pillow-heif", "pillow-heif", "pillow_heif", "HEIC photos", False),
    ("pynacl", "pynacl", "nacl", "app exports (libsodium)", True),
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
        guard_installed=is_installed(),
    )

"""The network guard: an audit hook (PEP 578) that stops this process from using the network.

It refuses outgoing connections, DNS look-ups, sendto and binds to non-loopback addresses;
creating a socket stays allowed so interface checks work. Native code can bypass audit hooks,
so the real guarantee is a machine without a network (`paper2fa doctor`, bootable/).
"""

from __future__ import annotations

import ipaddress
import socket
import sys
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
        sock, address = (args + (None, None))[:2]
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

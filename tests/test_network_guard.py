"""The suite runs with the network guard on: any connect or DNS look-up fails loudly."""

from __future__ import annotations

import socket

import pytest

from toolkit import airgap
from toolkit.errors import OfflineError


def test_guard_is_installed() -> None:
    assert airgap.is_installed()


def test_connect_refused() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s, pytest.raises(OfflineError):
        s.connect(("192.0.2.1", 443))


def test_dns_refused() -> None:
    with pytest.raises(OfflineError):
        socket.getaddrinfo("example.com", 443)


def test_sendto_refused() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s, pytest.raises(OfflineError):
        s.sendto(b"x", ("192.0.2.1", 53))


def test_bind_non_loopback_refused_loopback_allowed() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s, pytest.raises(OfflineError):
        s.bind(("0.0.0.0", 0))
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))


def test_socket_creation_allowed() -> None:
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close()


def test_library_connect_is_stopped() -> None:
    """A dependency that tries the network (urllib here) is stopped, not just our own code."""
    import urllib.request

    with pytest.raises(OfflineError):
        urllib.request.urlopen("http://192.0.2.1/", timeout=1)

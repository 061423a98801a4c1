"""The guard every test relies on: only loopback may be reached (it refuses before any packet is sent)."""

from __future__ import annotations

import socket

import pytest

# Raised by tests/conftest.py (not imported here: a second copy would patch the socket module again).
REFUSED = "tests may only"


@pytest.mark.parametrize("address", [("10.0.0.1", 80), ("203.0.113.7", 443), ("2001:db8::1", 443)])
def test_connections_beyond_loopback_are_refused(address: tuple[str, int]) -> None:
    family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        with pytest.raises(RuntimeError, match=REFUSED):
            sock.connect(address)
        with pytest.raises(RuntimeError, match=REFUSED):
            sock.connect_ex(address)


def test_name_resolution_beyond_loopback_is_refused() -> None:
    with pytest.raises(RuntimeError, match=REFUSED):
        socket.getaddrinfo("api.openai.com", 443)


def test_loopback_is_allowed() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=2):
            pass
    assert socket.getaddrinfo("localhost", 80)

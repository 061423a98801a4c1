"""HTTP/1.1 framing through the local HTTP gateway over raw sockets: a request whose framing is malformed gets
a 400 (501 for an unimplemented transfer coding) and a closed connection, never a silent drop; well-framed
requests in the same shapes still work; and the gateway keeps serving afterwards."""

from __future__ import annotations

import json
import logging
import socket
from typing import Any

import pytest

from local.runtime import LocalRuntime
from tests.integration.local.support import Client

pytestmark = pytest.mark.integration


def _exchange(
    runtime: LocalRuntime, raw: bytes, half_close: bool = False
) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes, read until the server closes; the status, headers and body of the first response."""
    assert runtime.http is not None
    with socket.create_connection(("127.0.0.1", runtime.http.port), timeout=15) as connection:
        connection.sendall(raw)
        if half_close:
            connection.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body[: int(headers.get("content-length", len(body)))]


def _post(*header_lines: str, body: bytes = b"", version: str = "HTTP/1.1") -> bytes:
    head = "\r\n".join([f"POST /items {version}", *header_lines, "Connection: close"])
    return head.encode("latin-1") + b"\r\n\r\n" + body


HOST = "Host: 127.0.0.1"

MALFORMED = {
    "content-length not a number": _post(HOST, "Content-Length: abc", body=b"hello"),
    "negative content-length": _post(HOST, "Content-Length: -5", body=b"hello"),
    "signed content-length": _post(HOST, "Content-Length: +5", body=b"hello"),
    "content-length with an underscore": _post(HOST, "Content-Length: 1_0", body=b"0123456789"),
    "empty content-length": _post(HOST, "Content-Length:", body=b"hello"),
    "conflicting content-lengths": _post(HOST, "Content-Length: 5", "Content-Length: 6", body=b"hello!"),
    "conflicting content-length list": _post(HOST, "Content-Length: 5, 6", body=b"hello!"),
    "chunk size zz": _post(HOST, "Transfer-Encoding: chunked", body=b"zz\r\nhello\r\n0\r\n\r\n"),
    "chunk size -5": _post(HOST, "Transfer-Encoding: chunked", body=b"-5\r\nhello\r\n0\r\n\r\n"),
    "chunk size 0x5": _post(HOST, "Transfer-Encoding: chunked", body=b"0x5\r\nhello\r\n0\r\n\r\n"),
    "empty chunk size": _post(HOST, "Transfer-Encoding: chunked", body=b"\r\nhello\r\n0\r\n\r\n"),
    "chunk data without CRLF": _post(HOST, "Transfer-Encoding: chunked", body=b"5\r\nhelloXX0\r\n\r\n"),
    "transfer-encoding and content-length": _post(
        HOST, "Transfer-Encoding: chunked", "Content-Length: 10", body=b"5\r\nhello\r\n0\r\n\r\n"
    ),
    "chunked not last": _post(HOST, "Transfer-Encoding: chunked, gzip", body=b"5\r\nhello\r\n0\r\n\r\n"),
    "no chunked at all": _post(HOST, "Transfer-Encoding: gzip", body=b"hello"),
    "transfer-encoding in HTTP/1.0": _post(
        HOST, "Transfer-Encoding: chunked", body=b"5\r\nhello\r\n0\r\n\r\n", version="HTTP/1.0"
    ),
    "space before the colon": _post(HOST, "Content-Length : 5", body=b"hello"),
    "obs-fold": _post(HOST, "X-Note: one", "  two", "Content-Length: 5", body=b"hello"),
    "no host": _post("Content-Length: 5", body=b"hello"),
    "two hosts": _post(HOST, HOST, "Content-Length: 5", body=b"hello"),
}


@pytest.mark.parametrize("raw", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_framing_is_a_400_and_a_closed_connection(runtime: LocalRuntime, raw: bytes) -> None:
    status, headers, body = _exchange(runtime, raw)
    assert status == 400
    assert json.loads(body) == {"message": "Bad Request"}
    assert headers["connection"] == "close"
    assert headers["content-type"] == "application/json"


def test_a_transfer_coding_the_gateway_does_not_implement_is_a_501(runtime: LocalRuntime) -> None:
    raw = _post(HOST, "Transfer-Encoding: gzip, chunked", body=b"5\r\nhello\r\n0\r\n\r\n")
    status, headers, body = _exchange(runtime, raw)
    assert status == 501
    assert json.loads(body) == {"message": "Not Implemented"}
    assert headers["connection"] == "close"


@pytest.mark.parametrize(
    ("raw", "half_close"),
    [
        (_post(HOST, "Content-Length: 50", body=b"only part of it"), True),  # the client stopped sending
        (_post(HOST, "Transfer-Encoding: chunked", body=b"a\r\nhel"), True),  # inside a chunk
        (_post(HOST, "Transfer-Encoding: chunked", body=b"5\r\nhello\r\n"), True),  # no last-chunk
    ],
    ids=["short content-length body", "cut inside a chunk", "no last chunk"],
)
def test_a_body_cut_short_is_a_400(runtime: LocalRuntime, raw: bytes, half_close: bool) -> None:
    status, _, body = _exchange(runtime, raw, half_close=half_close)
    assert status == 400
    assert json.loads(body) == {"message": "Bad Request"}


def test_requests_http_server_itself_refuses_get_json_not_html(runtime: LocalRuntime) -> None:
    status, headers, body = _exchange(runtime, b"NONSENSE\r\n\r\n")
    assert status == 400
    assert json.loads(body) == {"message": "Bad Request"}
    assert "server" not in headers
    status, _, body = _exchange(runtime, b"GET /other HTTP/2.0\r\nHost: x\r\n\r\n")
    assert status == 505
    assert json.loads(body) == {"message": "HTTP Version Not Supported"}


def _echoed_body(body: bytes) -> Any:
    return json.loads(body)["event"].get("body")


@pytest.mark.parametrize(
    "raw",
    [
        _post(HOST, "Content-Type: text/plain", "Content-Length: 5, 5", body=b"hello"),  # equal values
        _post(HOST, "Content-Type: text/plain", "Content-Length: 0005", body=b"hello"),
        _post(
            HOST,
            "Content-Type: text/plain",
            "Transfer-Encoding: chunked",
            body=b"3;note=x\r\nhel\r\n2 ;y\r\nlo\r\n0\r\nX-Trailer: 1\r\n\r\n",
        ),
        _post(HOST, "Content-Type: text/plain", "Transfer-Encoding: Chunked", body=b"5\nhello\n0\n\n"),
    ],
    ids=["repeated equal content-length", "leading zeros", "extensions and a trailer", "bare LF"],
)
def test_well_framed_requests_in_the_same_shapes_are_served(runtime: LocalRuntime, raw: bytes) -> None:
    status, _, body = _exchange(runtime, raw)
    assert status == 200, body
    assert _echoed_body(body) == "hello"


def test_a_form_upload_is_served_with_its_body_base64_encoded(runtime: LocalRuntime) -> None:
    """`curl -F` sends multipart/form-data; the email parser under http.server reports that media type's
    missing boundaries (it never sees the body), which is no defect of the header section."""
    raw = _post(HOST, "Content-Type: multipart/form-data; boundary=---x", "Content-Length: 5", body=b"hello")
    status, _, body = _exchange(runtime, raw)
    assert status == 200, body
    event = json.loads(body)["event"]
    assert (event["isBase64Encoded"], event["body"]) == (True, "aGVsbG8=")


def test_the_gateway_keeps_serving_and_logs_each_refusal(
    runtime: LocalRuntime, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="local.http"):
        for raw in MALFORMED.values():
            _exchange(runtime, raw)
    lines = [record.getMessage() for record in caplog.records if record.name == "local.http"]
    assert len(lines) == len(MALFORMED)
    assert all(" 400 " in line for line in lines), lines
    assert any("Content-Length is not a non-negative decimal number" in line for line in lines)
    assert not any("hello" in line for line in lines)  # no body bytes in the log
    assert client.request("GET", "/other").status == 200

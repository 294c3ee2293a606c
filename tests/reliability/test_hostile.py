"""Hostile and broken input: each gets a clear 4xx or a `failed` status with a reason, and the worker
stays up. Files go through the whole service (API, S3, Redis, a real worker); the size, header and
multipart cases go over a real socket, since a test client never sees how a server reads a body."""

from __future__ import annotations

import contextlib
import io
import re
import socket
import struct
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator

import pytest

from tests.reliability.conftest import post_file, wait_status
from tests.service.conftest import auth, make_invoice_pdf

pytestmark = pytest.mark.service

MB = 1024 * 1024


def pdf_with_pages(count: int) -> bytes:
    """A valid PDF with `count` empty pages, written directly (PyMuPDF needs ~10 s for 10,000)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + i} 0 R" for i in range(count))
    objects.append(f"<< /Type /Pages /Count {count} /Kids [{kids}] >>".encode())
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * count
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def png_declaring(width: int, height: int) -> bytes:
    """A few hundred bytes that declare a width x height greyscale image (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width + 1) * 4)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def encrypted_pdf() -> bytes:
    import pymupdf

    doc = pymupdf.open(stream=make_invoice_pdf("INV-SECRET"))
    data = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="user", owner_pw="owner")
    doc.close()
    return data


def zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("invoice.pdf", make_invoice_pdf())
    return buf.getvalue()


def test_pdf_fixtures_are_what_they_claim() -> None:
    import pymupdf

    with pymupdf.open(stream=pdf_with_pages(10_000)) as doc:
        assert doc.page_count == 10_000 and not doc.is_repaired
    with pymupdf.open(stream=encrypted_pdf()) as doc:
        assert doc.needs_pass
    assert len(png_declaring(50_000, 50_000)) < 1000


@pytest.mark.parametrize(
    ("name", "make", "needle", "http_status"),
    [
        ("truncated", lambda: make_invoice_pdf()[:300], "the PDF cannot be read", 400),
        ("encrypted", encrypted_pdf, "encrypted with a password", 400),
        ("10000-pages", lambda: pdf_with_pages(10_000), "10000 pages; the limit is 500", 413),
        ("bomb", lambda: png_declaring(50_000, 50_000), "50000 x 50000 pixels", 413),
    ],
)
def test_broken_files_fail_with_a_reason(
    rworker, direct_app, rsessions, rkey, name, make, needle, http_status
) -> None:  # type: ignore[no-untyped-def]
    client = direct_app.test_client()
    data = make()
    filename = f"{name}.png" if name == "bomb" else f"{name}.pdf"
    response = post_file(client, rkey, data, name=filename)
    assert response.status_code == 202, response.get_json()
    doc = wait_status(rsessions, response.get_json()["id"], timeout=60)
    assert doc.status == "failed"
    assert needle in doc.failure_reason
    assert doc.failure_http_status == http_status
    body = client.get(f"/v1/documents/{doc.id}", headers=auth(rkey)).get_json()
    assert body["status"] == "failed" and needle in body["error"] and "Traceback" not in body["error"]
    assert rworker.proc.poll() is None


def test_half_a_pdf_is_repaired_or_refused_never_stuck(rworker, direct_app, rsessions, rkey) -> None:  # type: ignore[no-untyped-def]
    data = make_invoice_pdf("INV-HALF")
    response = post_file(direct_app.test_client(), rkey, data[: len(data) // 2])
    doc = wait_status(rsessions, response.get_json()["id"], timeout=60)
    # MuPDF rebuilds a PDF whose cross-reference table was cut off; what it cannot read is a reason.
    assert doc.status == "succeeded" or (doc.status == "failed" and doc.failure_reason), doc.failure_reason
    assert rworker.proc.poll() is None


@pytest.mark.parametrize(
    ("data", "name", "mime", "status", "needle"),
    [
        (zip_bytes(), "invoice.pdf", "application/pdf", 400, "unsupported file type"),
        (b"<!DOCTYPE html><html><body>Hi</body></html>", "invoice.pdf", None, 400, "unsupported file type"),
        (b"<html><head><title>x</title></head></html>", "page.html", None, 400, "unsupported file type"),
        (b"<?xml version='1.0'?><a/>", "x", "image/png", 400, "declared image/png but the content is XML"),
        (make_invoice_pdf(), "a.pdf", "text/xml", 400, "declared application/xml but the content is PDF"),
        (make_invoice_pdf(), "b.xml", "binary/octet-stream", 400, "name says XML but the content is PDF"),
        (b"\x00", "nul.pdf", None, 400, "unsupported file type"),
    ],
)
def test_disguised_files_are_refused(direct_app, rkey, data, name, mime, status, needle) -> None:  # type: ignore[no-untyped-def]
    response = post_file(direct_app.test_client(), rkey, data, name=name, mime=mime)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.get_json() == {"detail": f"{name}: {response.get_json()['detail'].split(': ', 1)[1]}"}
    assert needle in response.get_json()["detail"]


def test_wrong_request_content_type(direct_app, rkey) -> None:  # type: ignore[no-untyped-def]
    client = direct_app.test_client()
    for kwargs in (
        {"json": {"file": "JVBERi0xLjQ="}},
        {"data": make_invoice_pdf(), "content_type": "application/pdf"},
        {"data": "file=x", "content_type": "application/x-www-form-urlencoded"},
    ):
        response = client.post("/v1/documents", headers=auth(rkey), **kwargs)
        assert response.status_code == 422, response.get_data(as_text=True)
        assert "missing the `file` part" in response.get_json()["detail"]


def test_path_and_control_characters_in_the_file_name(direct_app, rsessions, rkey) -> None:  # type: ignore[no-untyped-def]
    from store.models import Document

    client = direct_app.test_client()
    hostile = "../../etc/\x00pass\tX-Injected: yes\x1b[31m\u202einvoice.pdf"
    response = post_file(client, rkey, make_invoice_pdf(), name=hostile)
    assert response.status_code == 202, response.get_json()
    doc_id = response.get_json()["id"]
    with rsessions() as s:
        doc = s.get(Document, doc_id)
    assert doc.filename == "passX-Injected: yes[31minvoice.pdf", repr(doc.filename)
    assert doc.storage_key.endswith(f"/{doc_id}/original") and ".." not in doc.storage_key
    download = client.get(f"/v1/documents/{doc_id}/file", headers=auth(rkey))
    disposition = download.headers["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition and "/" not in disposition.split(";")[1]
    assert "X-Injected" not in download.headers


def test_line_breaks_in_the_file_name_cannot_inject_headers(served, rkey) -> None:  # type: ignore[no-untyped-def]
    """CR LF inside the part's filename ends the part header early: the form has no file part."""
    body = (
        b'--x\r\nContent-Disposition: form-data; name="file"; filename="a\r\nX-Evil: 1\r\n.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + make_invoice_pdf() + b"\r\n--x--\r\n"
    )
    head = (
        f"POST /v1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {rkey}\r\n"
        f"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    answer = raw_request(served, head, body)
    assert int(answer.split(b" ", 2)[1]) in (400, 422), answer[:400]
    assert b"X-Evil" not in answer and b'{"detail":' in answer


@pytest.fixture(scope="module")
def served(direct_app) -> Iterator[tuple[str, int]]:  # type: ignore[no-untyped-def]
    """The API behind werkzeug's threaded HTTP server on a loopback port (a real socket)."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, direct_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield ("127.0.0.1", server.server_port)
    server.shutdown()


def raw_request(address: tuple[str, int], head: bytes, body: bytes = b"", timeout: float = 10) -> bytes:
    """Send `head` + `body`; return the server's answer once complete (by Content-Length), or what
    came before it closed or went quiet."""
    with socket.create_connection(address, timeout=timeout) as sock:
        with contextlib.suppress(OSError):  # the server may answer and close before all is sent
            sock.sendall(head + body)
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
                headers, sep, rest = answer.partition(b"\r\n\r\n")
                length = re.search(rb"(?im)^content-length:\s*(\d+)", headers)
                if sep and length and len(rest) >= int(length.group(1)):
                    break
        except (TimeoutError, ConnectionResetError):
            pass
    return answer


def test_25_mb_upload_is_refused_before_the_body_is_read(served, rkey) -> None:  # type: ignore[no-untyped-def]
    boundary = "b0undary"
    announced = 25 * MB
    head = (
        f"POST /v1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {rkey}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {announced}\r\n\r\n"
    ).encode()
    first = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
    ).encode() + b"0" * 65536
    started = time.monotonic()
    answer = raw_request(served, head, first, timeout=5)  # 64 KB of the announced 25 MB, then silence
    assert time.monotonic() - started < 5, "the server waited for the rest of the body"
    status_line, _, rest = answer.partition(b"\r\n")
    assert b" 413 " in status_line, answer[:300]
    assert b'{"detail":"the upload is larger than the limit of 20971520 bytes"}' in rest


def test_25_mb_upload_really_sent_is_413(direct_app, rkey) -> None:  # type: ignore[no-untyped-def]
    response = post_file(direct_app.test_client(), rkey, b"%PDF-1.7\n" + b"0" * (25 * MB))
    assert response.status_code == 413
    assert response.get_json() == {"detail": "the upload is larger than the limit of 20971520 bytes"}


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data", b'--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nab\r\n--x--'),
        (
            "multipart/form-data; boundary=x",
            b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.7 trunc',
        ),
        ("multipart/form-data; boundary=x", b"--x\r\nno headers at all\r\n--x--\r\n"),
        ("multipart/form-data; boundary=x", b"\xff\xfe garbage \x00" * 100),
        ("multipart/form-data; boundary=" + "x" * 5000, b"--" + b"x" * 5000 + b"--\r\n"),
    ],
)
def test_malformed_multipart_is_a_4xx_with_a_detail(served, rkey, content_type, body) -> None:  # type: ignore[no-untyped-def]
    head = (
        f"POST /v1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {rkey}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    answer = raw_request(served, head, body)
    status = int(answer.split(b" ", 2)[1])
    assert status in (400, 413, 422), answer[:500]
    assert b'{"detail":' in answer and b"Traceback" not in answer


def test_huge_headers_are_refused_and_the_server_stays_up(served, rkey) -> None:  # type: ignore[no-untyped-def]
    big_line = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n"
    assert int(raw_request(served, big_line).split(b" ", 2)[1]) in (400, 431)
    lines = b"".join(b"X-H%d: v\r\n" % i for i in range(500))
    many = b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + lines + b"\r\n"
    assert int(raw_request(served, many).split(b" ", 2)[1]) in (400, 431)
    # Big but under the server's line limit: reaches the app, which answers with a JSON detail.
    token = "iocr_" + "a" * 60_000
    fat = (
        f"GET /v1/documents/x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
        "Connection: close\r\n\r\n"
    )
    answer = raw_request(served, fat.encode())
    assert b" 401 " in answer.split(b"\r\n", 1)[0] and b'{"detail":"invalid or revoked API key"}' in answer
    ok = raw_request(served, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert b" 200 " in ok.split(b"\r\n", 1)[0]


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8080/hook",
        "http://127.0.0.2/hook",
        "http://2130706433/hook",  # 127.0.0.1 as one decimal number
        "http://0x7f.0.0.1/hook",
        "http://0.0.0.0/hook",
        "http://[::ffff:127.0.0.1]/hook",  # IPv4-mapped loopback
        "http://[fe80::1]/hook",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata (link-local)
        "http://192.168.1.10/hook",
        "http://172.16.0.1/hook",
        "http://100.64.0.1/hook",  # carrier-grade NAT
        "http://[fc00::1]/hook",
        "http://224.0.0.1/hook",
    ],
)
def test_private_callback_urls_are_422(rstack, rkey, url) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    from api.app import create_app
    from store.settings import Settings

    env = {"INVOICE_OCR_ALLOW_PRIVATE_CALLBACKS": "0", "INVOICE_OCR_DATA_DIR": str(rstack.workers.tmp)}
    assert Settings.from_env(env).allow_private_callbacks is False
    assert Settings.from_env({**env, "INVOICE_OCR_ALLOW_PRIVATE_CALLBACKS": "1"}).allow_private_callbacks
    settings = dataclasses.replace(rstack.direct, allow_private_callbacks=False)
    strict = create_app(settings, verify_schema=False)
    response = post_file(strict.test_client(), rkey, make_invoice_pdf(), callback_url=url)
    assert response.status_code == 422, (url, response.get_json())
    assert "private or reserved" in response.get_json()["detail"]


def test_worker_survives_all_of_it(rworker, direct_app, rsessions, rkey) -> None:  # type: ignore[no-untyped-def]
    response = post_file(direct_app.test_client(), rkey, make_invoice_pdf("INV-AFTER"))
    doc = wait_status(rsessions, response.get_json()["id"], timeout=60)
    assert doc.status == "succeeded" and rworker.proc.poll() is None

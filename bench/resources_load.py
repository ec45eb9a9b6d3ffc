#!/usr/bin/env python3
"""Hostile loads for bench/resources.sh, each against a running server, each bounded:

  bombs URL TOKEN N WIDTH HEIGHT   N parallel uploads of an all-black WIDTH x HEIGHT PNG
  logins URL N                     N parallel sign-ins, each for another username from another
                                   address (X-Forwarded-For; the server trusts loopback)
  idle URL N SECONDS               N idle connections; /healthz and a list are timed while
                                   they are open; after SECONDS, how many the server closed

Prints one line of `key=value` figures.
"""
import base64
import concurrent.futures
import http.client
import json
import resource
import socket
import struct
import sys
import time
import urllib.parse
import zlib


def black_png(width, height):
    """An all-black RGB PNG, compressed row by row (the raw pixels never exist at once)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * (3 * width)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def post(url, path, body, headers):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    conn.request("POST", path, body=body, headers={"Content-Type": "application/json", **headers})
    response = conn.getresponse()
    text = response.read()
    conn.close()
    return response.status, text


def bombs(url, token, count, width, height):
    png = black_png(width, height)
    body = json.dumps({"name": "Pommi", "cover_image": "data:image/png;base64," + base64.b64encode(png).decode()})
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        answers = list(pool.map(lambda _: post(url, "/api/hobbies/", body, {"Authorization": f"Token {token}"}), range(count)))
    statuses = sorted({status for status, _ in answers})
    message = json.loads(answers[0][1]).get("cover_image", [""])[0] if answers[0][0] == 400 else ""
    print(f"png_bytes={len(png)} statuses={statuses} seconds={time.monotonic() - started:.1f} message={message!r}")


def logins(url, count):
    def attempt(i):
        body = json.dumps({"username": f"nobody{i}", "password": "wrong-password"})
        return post(url, "/auth/token/", body, {"X-Forwarded-For": f"198.51.{i // 250}.{i % 250 + 1}"})[0]
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        statuses = list(pool.map(attempt, range(count)))
    counts = {status: statuses.count(status) for status in sorted(set(statuses))}
    print(f"statuses={counts} seconds={time.monotonic() - started:.1f}")


def timed_get(url, path):
    parts = urllib.parse.urlsplit(url)
    started = time.monotonic()
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.request("GET", path)
    status = conn.getresponse().status
    conn.close()
    return status, (time.monotonic() - started) * 1000


def idle(url, count, seconds):
    parts = urllib.parse.urlsplit(url)
    # Our own descriptors must not be what runs out.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, count + 256)), hard))
    sockets = []
    started = time.monotonic()
    for _ in range(count):
        sockets.append(socket.create_connection((parts.hostname, parts.port)))
    opened = time.monotonic() - started
    time.sleep(0.5)
    health = timed_get(url, "/healthz")
    listed = timed_get(url, "/api/v1/hobbies/?page_size=20")
    time.sleep(seconds)
    closed = 0
    for sock in sockets:
        sock.settimeout(0.001)
        try:
            closed += sock.recv(1) == b""
        except (socket.timeout, BlockingIOError):
            pass
        except OSError:
            closed += 1
        sock.close()
    print(f"opened={count} open_seconds={opened:.1f} healthz={health[0]}/{health[1]:.0f}ms "
          f"list={listed[0]}/{listed[1]:.0f}ms closed_after_{seconds}s={closed}")


if __name__ == "__main__":
    kind, args = sys.argv[1], sys.argv[2:]
    if kind == "bombs":
        bombs(args[0], args[1], int(args[2]), int(args[3]), int(args[4]))
    elif kind == "logins":
        logins(args[0], int(args[1]))
    elif kind == "idle":
        idle(args[0], int(args[1]), int(args[2]))

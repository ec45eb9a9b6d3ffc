#!/usr/bin/env python3
"""Bounded load for bench/failure.sh: worker threads send the read mix to several servers,
one new connection per request, and record when each request was sent and how it ended.

A request "refused" could not connect (the server no longer listens: a load balancer takes
it out of rotation); "failed" connected but got no complete answer (a request in flight
that was lost). Writes one CSV line per request: time offset (s), server, status.
"""
import http.client
import sys
import threading
import time
import urllib.parse

def main():
    duration, workers, out_path = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    servers = sys.argv[4].split(",")
    paths = [line.strip() for line in sys.stdin if line.strip()]
    start = time.monotonic()
    results = []
    lock = threading.Lock()

    def worker(n):
        i = n
        while (now := time.monotonic() - start) < duration:
            server = servers[i % len(servers)]
            path = paths[i % len(paths)]
            i += workers
            host, port = urllib.parse.urlsplit(server).hostname, urllib.parse.urlsplit(server).port
            conn = http.client.HTTPConnection(host, port, timeout=10)
            try:
                conn.connect()
            except OSError:
                outcome = "refused"
                time.sleep(0.01)
            else:
                try:
                    conn.request("GET", path, headers={"Connection": "close"})
                    response = conn.getresponse()
                    response.read()
                    outcome = str(response.status)
                except (OSError, http.client.HTTPException):
                    outcome = "failed"
            finally:
                conn.close()
            with lock:
                results.append((now, server, outcome))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with open(out_path, "w") as out:
        for now, server, outcome in sorted(results):
            out.write(f"{now:.3f},{server},{outcome}\n")

if __name__ == "__main__":
    main()

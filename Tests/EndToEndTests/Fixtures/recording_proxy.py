#!/usr/bin/env python3
"""A pass-through HTTP proxy in front of a real engine, for tests that check text.

llama-server's prompt cache makes even a greedy, seeded request come out differently now and then
when it is sent again, so a test cannot compare a tool's text with a second request's. Through this
proxy it compares the tool's text with the engine's own answer to the very request the tool sent.

Usage: recording_proxy.py UPSTREAM_URL LOG_FILE
Prints the port it listens on, then serves until its stdin closes. Every request is forwarded
unchanged; the response is streamed back as it arrives (chunked), and once it is complete one line
{"method", "path", "request": <JSON body or null>, "status", "response": <body text>} is appended
to LOG_FILE.
"""
import http.client, json, sys, threading, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UPSTREAM = urllib.parse.urlsplit(sys.argv[1])
LOG = sys.argv[2]
LOCK = threading.Lock()
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection", "te", "upgrade"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP and k.lower() != "host"}
        upstream = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port, timeout=600)
        try:
            upstream.request(self.command, self.path, body=body or None, headers=headers)
            response = upstream.getresponse()
        except OSError as e:
            self.send_error(502, str(e))
            return
        self.send_response(response.status)
        for k, v in response.getheaders():
            if k.lower() not in HOP_BY_HOP:
                self.send_header(k, v)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        received = bytearray()
        try:
            while True:
                chunk = response.read1(65536)
                if not chunk:
                    break
                received += chunk
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            self.close_connection = True  # the client went away; the exchange is still logged
        finally:
            upstream.close()
        try:
            request = json.loads(body) if body else None
        except ValueError:
            request = body.decode("utf-8", "replace")
        entry = {"method": self.command, "path": self.path, "request": request, "status": response.status,
                 "response": received.decode("utf-8", "replace")}
        with LOCK, open(LOG, "a") as f:
            f.write(json.dumps(entry) + "\n")

    do_GET = do_POST = do_DELETE = forward


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()

#!/usr/bin/env python3
"""A test double of Ollama's native API, only for what the real engine cannot show on this
machine: the NDJSON wire format, an error line mid-stream, and 404 model not found.

Prints the port it listens on, then serves until its stdin closes. The model name picks the behaviour:
  ok-model         streams "Hello" + " world" and a final chunk with metrics
  midstream-error  streams one chunk, then {"error": ...}
  anything else    404 {"error": "model '<name>' not found"}
Each request body is appended to the file named by argv[1], one JSON line each.
"""
import json, os, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG = sys.argv[1]

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        body = json.dumps({"version": "0.33.0-fake"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with open(LOG, "a") as f:
            f.write(json.dumps({"path": self.path, "body": request}) + "\n")
        model = request.get("model")
        key = "message" if self.path == "/api/chat" else "response"
        def piece(text):
            return {key: {"role": "assistant", "content": text}} if key == "message" else {key: text}
        if model == "ok-model":
            lines = [
                {"model": model, "created_at": "2026-11-26T10:00:00.123456789Z", **piece("Hello"), "done": False},
                {"model": model, "created_at": "2026-11-26T10:00:00.2Z", **piece(" world"), "done": False},
                {"model": model, "created_at": "2026-11-26T10:00:00.3Z", **piece("!"), "done": True,
                 "done_reason": "stop", "total_duration": 123456789, "eval_count": 3, "eval_duration": 1000},
            ]
        elif model == "midstream-error":
            lines = [{"model": model, **piece("partial"), "done": False},
                     {"error": "an error was encountered while running the model: out of memory"}]
        else:
            body = json.dumps({"error": f"model '{model}' not found"}).encode()
            self.send_response(404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for line in lines:
            data = (json.dumps(line) + "\n").encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

def exit_with_parent():
    # The test process holds our stdin open; when it ends, so do we.
    sys.stdin.read()
    os._exit(0)

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=exit_with_parent, daemon=True).start()
print(server.server_address[1], flush=True)
server.serve_forever()

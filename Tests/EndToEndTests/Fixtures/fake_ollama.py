#!/usr/bin/env python3
"""A test double of Ollama's native API (and llama-server's /completion), only for what the real
engine cannot show on this machine: the NDJSON wire format, an error line mid-stream, 404 model
not found, and injected faults.

Prints the port it listens on, then serves until its stdin closes. The model name picks the behaviour:
  ok-model         streams "Hello" + " world" and a final chunk with metrics
  midstream-error  streams one chunk, then {"error": ...}
  busy-then-ok     503 "server busy" for the first two requests (per path), then ok-model's answer
  always-busy      503 every time
  server-error     500 {"error": "boom"}
  cut-stream       one chunk, then the connection closes mid-stream
  hang             accepts the request and never answers
  trickle          ok-model's answer, one chunk every 0.4 s
  anything else    404 {"error": "model '<name>' not found"}
/completion (llama-server) takes the same names as its `prompt`; ok-model answers
{"content": "Hello world!", "tokens_predicted": 3, "stop_type": "eos"}.
Each request body is appended to the file named by argv[1], one JSON line each.
"""
import json, os, socket, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG = sys.argv[1]
CALLS = {}
LOCK = threading.Lock()

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

    def send_json(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with open(LOG, "a") as f:
            f.write(json.dumps({"path": self.path, "body": request}) + "\n")
        model = request.get("prompt") if self.path == "/completion" else request.get("model")
        with LOCK:
            key = (self.path, model)
            CALLS[key] = CALLS.get(key, 0) + 1
            calls = CALLS[key]
        if model == "busy-then-ok":
            if calls <= 2:
                return self.send_json(503, {"error": "server busy, please try again.  maximum pending requests exceeded"})
            model = "ok-model"
        if model == "always-busy":
            return self.send_json(503, {"error": "server busy, please try again.  maximum pending requests exceeded"})
        if model == "server-error":
            return self.send_json(500, {"error": "boom"})
        if model == "hang":
            time.sleep(600)
            return
        if self.path == "/completion":
            if model in ("ok-model", "trickle"):
                return self.send_json(200, {"content": "Hello world!", "tokens_predicted": 3, "stop_type": "eos"})
            return self.send_json(404, {"error": {"code": 404, "message": "File Not Found", "type": "not_found_error"}})
        key = "message" if self.path == "/api/chat" else "response"
        def piece(text):
            return {key: {"role": "assistant", "content": text}} if key == "message" else {key: text}
        delay = 0.4 if model == "trickle" else 0
        if model in ("ok-model", "trickle"):
            lines = [
                {"model": model, "created_at": "2026-11-26T10:00:00.123456789Z", **piece("Hello"), "done": False},
                {"model": model, "created_at": "2026-11-26T10:00:00.2Z", **piece(" world"), "done": False},
                {"model": model, "created_at": "2026-11-26T10:00:00.3Z", **piece("!"), "done": True,
                 "done_reason": "stop", "total_duration": 123456789, "eval_count": 3, "eval_duration": 1000},
            ]
        elif model == "midstream-error":
            lines = [{"model": model, **piece("partial"), "done": False},
                     {"error": "an error was encountered while running the model: out of memory"}]
        elif model == "cut-stream":
            lines = [{"model": model, **piece("partial"), "done": False}]
        else:
            return self.send_json(404, {"error": f"model '{model}' not found"})
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for line in lines:
            data = (json.dumps(line) + "\n").encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()
            time.sleep(delay)
        if model == "cut-stream":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(b"0\r\n\r\n")

def exit_with_parent():
    # The test process holds our stdin open; when it ends, so do we.
    sys.stdin.read()
    os._exit(0)

ThreadingHTTPServer.daemon_threads = True
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=exit_with_parent, daemon=True).start()
print(server.server_address[1], flush=True)
server.serve_forever()

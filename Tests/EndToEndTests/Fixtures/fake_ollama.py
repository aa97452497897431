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
  gemma3:270m, qwen3:4b, gemma3:270m-old-ollama   base models: answer as ok-model does
  anything else    404 {"error": "model '<name>' not found"}
/completion (llama-server) takes the same names as its `prompt`; a prompt starting "You grade
answers." is a judge, answering " 4", " 5" or " unsure" for seeds 1, 2 and others; ok-model answers
{"content": "Hello world!", "tokens_predicted": 3, "stop_type": "eos"}.
/v1/chat/completions and /v1/completions (OpenAI-compatible) take the same names: ok-model answers
"Hello world!" as JSON, or as server-sent events when the request says "stream": true;
cut-stream sends one event and closes without [DONE]. GET /v1/models lists "fake-model".
Adapters: HEAD /api/blobs/sha256:<hex> says 200 or 404; POST there stores the bytes (400 when
their sha256 differs); POST /api/create {model, from, adapters | files} makes a model that then
answers like ok-model, unless `from` ends in "old-ollama", which refuses adapters as old versions do;
DELETE /api/delete removes it.
POST /api/embed {model: "all-minilm", input: [...]} answers in Ollama's shape ({"model", "embeddings":
[[...], ...]}, its API docs) with the vectors of the real embedding llama-server at
$LOCO_TEST_EMBEDDINGS (/v1/embeddings), so a router can be checked to read both the same; any
other model is 404.
With argv[2] == "broken", every POST is a 500: one dead engine of a pool.
Each request body (and its Authorization header) is appended to the file named by argv[1].
"""
import hashlib, json, os, socket, sys, threading, time, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG = sys.argv[1]
BROKEN = len(sys.argv) > 2 and sys.argv[2] == "broken"
CALLS = {}
BLOBS = set()
MODELS = {"gemma3:270m", "qwen3:4b", "gemma3:270m-old-ollama"}
LOCK = threading.Lock()


def record(entry):
    with LOCK, open(LOG, "a") as f:
        f.write(json.dumps(entry) + "\n")

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        answer = {"data": [{"id": "fake-model", "object": "model"}]} if self.path == "/v1/models" else {"version": "0.33.0-fake"}
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def embed(self, request):
        if request.get("model") != "all-minilm":
            return self.send_json(404, {"error": f"model \"{request.get('model')}\" not found, try pulling it first"})
        texts = request["input"] if isinstance(request["input"], list) else [request["input"]]
        upstream = urllib.request.Request(os.environ["LOCO_TEST_EMBEDDINGS"] + "/v1/embeddings", json.dumps({"input": texts}).encode(),
                                          {"Content-Type": "application/json"})
        data = json.load(urllib.request.urlopen(upstream, timeout=300))["data"]
        vectors = [d["embedding"] for d in sorted(data, key=lambda d: d["index"])]
        self.send_json(200, {"model": "all-minilm", "embeddings": vectors, "total_duration": 14143917,
                             "load_duration": 1019500, "prompt_eval_count": 8})

    def send_json(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self):
        record({"method": "HEAD", "path": self.path})
        present = self.path.startswith("/api/blobs/sha256:") and self.path.split(":", 1)[1] in BLOBS
        self.send_response(200 if present else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_DELETE(self):
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        record({"method": "DELETE", "path": self.path, "body": request})
        if request.get("model") in MODELS:
            MODELS.discard(request.get("model"))
            return self.send_json(200, {})
        return self.send_json(404, {"error": f"model '{request.get('model')}' not found"})

    def blob(self):
        data = self.rfile.read(int(self.headers["Content-Length"]))
        digest = self.path.split(":", 1)[1]
        record({"method": "POST", "path": self.path, "bytes": len(data)})
        if hashlib.sha256(data).hexdigest() != digest:
            return self.send_json(400, {"error": "digest mismatch"})
        BLOBS.add(digest)
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def create(self, request):
        if str(request.get("from")).endswith("old-ollama") and request.get("adapters"):
            return self.send_json(400, {"error": "unsupported architecture for adapters"})
        layers = list((request.get("adapters") or {}).values()) + list((request.get("files") or {}).values())
        missing = [d for d in layers if d.split(":", 1)[1] not in BLOBS]
        if missing:
            return self.send_json(400, {"error": f"blob {missing[0]} not found"})
        MODELS.add(request["model"])
        return self.send_json(200, {"status": "success"})

    def do_POST(self):
        if self.path.startswith("/api/blobs/"):
            return self.blob()
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        record({"path": self.path, "body": request, "authorization": self.headers.get("Authorization")})
        if BROKEN:
            return self.send_json(500, {"error": {"message": "engine broken", "type": "server_error"}})
        if self.path == "/api/create":
            return self.create(request)
        if self.path == "/api/embed":
            return self.embed(request)
        model = request.get("prompt") if self.path == "/completion" else request.get("model")
        if model in MODELS:
            model = "ok-model"
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
        if self.path.startswith("/v1/"):
            return self.openai(request, model)
        if self.path == "/completion":
            if (model or "").startswith("You grade answers."):
                # A judge whose grade depends on the seed: 4, 5, then no grade at all.
                grade = {1: " 4", 2: " 5"}.get(request.get("seed"), " unsure")
                return self.send_json(200, {"content": grade, "tokens_predicted": 1, "stop_type": "word"})
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

    def openai(self, request, model):
        chat = self.path == "/v1/chat/completions"
        if model not in ("ok-model", "cut-stream"):
            return self.send_json(404, {"error": {"message": f"The model `{model}` does not exist.", "type": "NotFoundError", "code": 404}})
        if not request.get("stream"):
            choice = {"index": 0, "finish_reason": "stop", **({"message": {"role": "assistant", "content": "Hello world!"}} if chat else {"text": "Hello world!"})}
            return self.send_json(200, {"id": "x", "object": "chat.completion", "model": model, "choices": [choice],
                                        "usage": {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8}})
        def delta(text, finish=None):
            piece = {"delta": {"content": text}} if chat else {"text": text}
            return {"id": "x", "choices": [{"index": 0, **piece, "finish_reason": finish}]}
        events = [delta("Hello"), delta(" world"), delta("!", "stop"), {"id": "x", "choices": [], "usage": {"completion_tokens": 3}}]
        if model == "cut-stream":
            events = events[:1]
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for event in events:
            data = ("data: " + json.dumps(event) + "\n\n").encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()
        if model == "cut-stream":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        data = b"data: [DONE]\n\n"
        self.wfile.write(b"%x\r\n%s\r\n0\r\n\r\n" % (len(data), data))

def exit_with_parent():
    # The test process holds our stdin open; when it ends, so do we.
    sys.stdin.read()
    os._exit(0)

ThreadingHTTPServer.daemon_threads = True
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=exit_with_parent, daemon=True).start()
print(server.server_address[1], flush=True)
server.serve_forever()

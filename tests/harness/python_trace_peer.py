# Copyright 2026 the evalhooks authors. MIT license.
"""A Python service traced with MLflow's own client, for the distributed-tracing test.

Serves on a loopback port (printed as the first line) until stdin closes:
- POST /continue: continues the caller's trace from its `traceparent` header
  (set_tracing_context_from_http_request_headers) with two spans of its own.
- POST /begin?callback=URL: begins a trace, calls URL with the traceparent of its span
  (get_tracing_context_headers_for_http_request), and answers with the trace id.
MLFLOW_TRACKING_URI and MLFLOW_EXPERIMENT_ID say where its spans go.
"""

import json
import os
import sys
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# With async logging, MLflow 3.18 batches span exports and runs them after the handler's
# tracing context is gone, which drops the spans of a trace continued from another process.
os.environ["MLFLOW_ENABLE_ASYNC_TRACE_LOGGING"] = "false"

import mlflow  # noqa: E402
from mlflow.tracing import (  # noqa: E402
    get_tracing_context_headers_for_http_request,
    set_tracing_context_from_http_request_headers,
)


def flush():
    try:
        mlflow.flush_trace_async_logging()
    except Exception:  # older clients log synchronously
        pass


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, payload):
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        question = self.rfile.read(length).decode() if length else ""
        url = urllib.parse.urlparse(self.path)
        if url.path == "/continue":
            with set_tracing_context_from_http_request_headers(dict(self.headers)):
                with mlflow.start_span("python-handler", span_type="AGENT") as handler:
                    handler.set_inputs({"question": question})
                    with mlflow.start_span("python-llm", span_type="LLM") as llm:
                        llm.set_inputs({"prompt": question})
                        llm.set_outputs({"text": "4"})
                    handler.set_outputs({"answer": "4"})
            flush()
            self.answer({"answer": "4"})
        elif url.path == "/begin":
            callback = urllib.parse.parse_qs(url.query)["callback"][0]
            with mlflow.start_span("python-root", span_type="CHAIN") as root:
                root.set_inputs({"question": question})
                headers = get_tracing_context_headers_for_http_request()
                request = urllib.request.Request(
                    callback, data=question.encode(), headers=headers, method="POST"
                )
                with urllib.request.urlopen(request) as response:
                    reply = json.loads(response.read())
                root.set_outputs(reply)
                trace_id = root.trace_id
            flush()
            self.answer({"traceId": trace_id})
        else:
            self.send_response(404)
            self.end_headers()


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
server.shutdown()

# Copyright 2026 the evalhooks authors. MIT license.
"""The server's own floor for a traced sample: what MLflow's tracking store spends per trace,
in-process, with no HTTP, no JSON parsing and no client at all.

Usage: python server_floor.py <tracking-uri> <experiment-id> [count]

Reads `count` traces (with their spans and assessments) that our import wrote to the server at
<tracking-uri>, then stores the same traces into fresh sqlite stores in this process, the three
ways a traced sample with feedback can reach MLflow 3.x:

  start_trace     the trace info with its feedback riding in it (spans sent apart, as artifacts)
  log_spans       the spans of 100 traces at a time, the trace infos created by log_spans
  create_assessment  one assessment (the only way feedback reaches a trace that start_trace did
                  not create)

Prints one JSON line: milliseconds per trace for each, and per assessment.
The bench compares these with the untraced import: no client can make the server do less.
"""

import json
import sys
import tempfile
import time
import logging

logging.disable(logging.INFO)

from mlflow.entities import TraceLocation  # noqa: E402
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore  # noqa: E402
from mlflow.tracking import MlflowClient  # noqa: E402


SERVER_TAGS = ("mlflow.artifactLocation", "mlflow.trace.spansLocation")


def fresh_store():
    folder = tempfile.mkdtemp(prefix="evalhooks-floor-")
    store = SqlAlchemyStore(f"sqlite:///{folder}/mlflow.db", f"{folder}/artifacts")
    return store, store.create_experiment("floor")


def main() -> None:
    uri, experiment_id = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    client = MlflowClient(tracking_uri=uri)
    traces = []
    token = None
    while len(traces) < count:
        page = client.search_traces(
            locations=[experiment_id], max_results=min(100, count - len(traces)), page_token=token
        )
        traces.extend(page)
        token = page.token
        if not token:
            break
    if not traces:
        raise SystemExit("no traces to measure")
    n = len(traces)
    spans_per_trace = sum(len(t.data.spans) for t in traces) / n
    assessments = [a for t in traces for a in t.info.assessments]

    # 1. start_trace, feedback riding in the info (a fresh store: the same trace ids are new there).
    store, exp = fresh_store()
    infos = []
    for t in traces:
        info = t.info
        info.trace_location = TraceLocation.from_experiment_id(exp)
        # Tags the server added when it stored the trace; the client never sends them.
        for key in SERVER_TAGS:
            info.tags.pop(key, None)
        infos.append(info)
    store.start_trace(infos[0])  # warm-up: the first write pays for table caches
    t0 = time.perf_counter()
    for info in infos[1:]:
        store.start_trace(info)
    start_trace_ms = (time.perf_counter() - t0) * 1000 / max(1, n - 1)

    # 2. log_spans, 100 traces per call, creating the trace infos.
    store, exp = fresh_store()
    t0 = time.perf_counter()
    for i in range(0, n, 100):
        store.log_spans(exp, [s for t in traces[i:i + 100] for s in t.data.spans])
    log_spans_ms = (time.perf_counter() - t0) * 1000 / n

    # 3. create_assessment, one at a time, on the traces log_spans just made.
    t0 = time.perf_counter()
    for a in assessments:
        a.assessment_id = None
        store.create_assessment(a)
    per_assessment_ms = (time.perf_counter() - t0) * 1000 / max(1, len(assessments))

    print(json.dumps({
        "traces": n,
        "spansPerTrace": spans_per_trace,
        "assessmentsPerTrace": len(assessments) / n,
        "startTraceMs": start_trace_ms,
        "logSpansMs": log_spans_ms,
        "createAssessmentMs": per_assessment_ms,
    }))


if __name__ == "__main__":
    main()

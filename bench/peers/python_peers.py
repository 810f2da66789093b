# Copyright 2026 the evalhooks authors. MIT license.
"""Python MLflow clients on the benchmark workload, against the same server.

    python python_peers.py batch|async URI EXPERIMENT_ID RUNS METRICS_PER_RUN

batch: MlflowClient().log_batch in a loop, 1,000 metrics a call (the efficient Python path).
async: mlflow.log_metric(..., synchronous=False) per metric, then flush (MLflow's async logging).
Prints one JSON line: seconds and run ids.
"""

import json
import sys
import time

import mlflow
from mlflow.entities import Metric
from mlflow.tracking import MlflowClient

mode, uri, experiment_id, runs, per_run = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
mlflow.set_tracking_uri(uri)
client = MlflowClient(uri)
run_ids = []
t0 = time.perf_counter()
if mode == "batch":
    for r in range(runs):
        run = client.create_run(experiment_id, tags={"peer": "python-batch"})
        run_ids.append(run.info.run_id)
        for start in range(0, per_run, 1000):
            metrics = [Metric("m", i % 97, 1_700_000_000_000 + i, i) for i in range(start, min(per_run, start + 1000))]
            client.log_batch(run.info.run_id, metrics=metrics)
else:
    for r in range(runs):
        with mlflow.start_run(experiment_id=experiment_id, tags={"peer": "python-async"}) as run:
            run_ids.append(run.info.run_id)
            for i in range(per_run):
                mlflow.log_metric("m", i % 97, step=i, timestamp=1_700_000_000_000 + i, synchronous=False)
    mlflow.flush_async_logging()
print(json.dumps({"seconds": time.perf_counter() - t0, "runIds": run_ids}))

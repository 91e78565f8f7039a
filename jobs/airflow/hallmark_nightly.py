"""Hallmark nightly run: one Airflow task per nightly step.

ingest -> silver -> yearly-stats -> seller-features -> risk-scores -> report, each a spark-submit of the
same jar running `hallmark nightly --run-date {{ ds }} --step <step>`: the step runs exactly as inside
the whole nightly (same code, the lake's nightly lock, a job_runs record), so a retry redoes only the
failed step and the UI shows which one failed. `{{ ds }}` (the logical date of the DAG run) is the run
date of every task: a backfill or a catch-up run computes exactly what that day's nightly computed.

The jar, connection, client mode, Java 17 flags and the retry rule (exit 1 retried, exit 2 fails at once)
are those of every Hallmark DAG: hallmark_common.py beside this file, which says how to deploy.
"""

from datetime import datetime, timedelta

try:  # Airflow 3
    from airflow.sdk import DAG
except ImportError:  # Airflow 2
    from airflow import DAG

from hallmark_common import hallmark_task

# The nightly's steps in run order (`hallmark nightly --help` lists the same names)
STEPS = ["ingest", "silver", "yearly-stats", "seller-features", "risk-scores", "report"]

default_args = {
    "owner": "hallmark",
    "retries": 2,
    "retry_delay": timedelta(minutes=20),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(hours=6),
}

with DAG(
    dag_id="hallmark_nightly",
    description="Ingest, yearly statistics and seller risk scores for one day, one task per step",
    schedule="@daily",
    start_date=datetime(2024, 1, 1),
    catchup=True,
    # one run at a time: the lake holds one nightly lock, and each day builds on the previous ones
    max_active_runs=1,
    default_args=default_args,
    tags=["hallmark"],
) as dag:
    upstream = None
    for step in STEPS:
        task = hallmark_task(
            step,
            ["nightly", "--run-date", "{{ ds }}", "--step", step],
            # a day's ingest needs every earlier day ingested; the later steps recompute from the whole lake
            depends_on_past=upstream is None,
        )
        if upstream is not None:
            upstream >> task
        upstream = task

"""Hallmark lake maintenance: one weekly Airflow task running `hallmark maintain`.

OPTIMIZE of the partitions the nightlies wrote since the last maintenance, deletion-vector purge and
VACUUM (retention `hallmark.maintain.retention` in the --conf-file) of every Delta table of the lake, as a
spark-submit of the same jar as the nightly DAG, with the same connection, Java 17 flags and retry rule
(hallmark_common.py): exit 1 (the job failed, or a nightly holds the lake's lock) is retried; exit 2 (bad
usage or configuration, e.g. a retention below Delta's 168 hours) fails at once (AirflowFailException).

Sundays at 12:00 UTC, away from the nightly; `maintain` takes the nightly lock, so if a nightly (a
catch-up) still runs, the task fails with exit 1 and its retries wait for it. No catch-up: a missed week
is done by the next one (maintenance is about the lake's state now, not about a logical date).
"""

from datetime import datetime, timedelta

try:  # Airflow 3
    from airflow.sdk import DAG
except ImportError:  # Airflow 2
    from airflow import DAG

from hallmark_common import hallmark_task

default_args = {
    "owner": "hallmark",
    "retries": 3,
    "retry_delay": timedelta(minutes=30),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(hours=6),
}

with DAG(
    dag_id="hallmark_maintain",
    description="Weekly OPTIMIZE, deletion-vector purge and VACUUM of every table of the Hallmark lake",
    schedule="0 12 * * 0",
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    tags=["hallmark"],
) as dag:
    hallmark_task("maintain", ["maintain"])

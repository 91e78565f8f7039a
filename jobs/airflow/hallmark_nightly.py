"""Hallmark nightly run, one Airflow task per day.

The task calls the same jar and command as a person would (`hallmark nightly --run-date D`), with
spark-submit in client mode from the Airflow worker, so the driver reads the config file and the
PII key file on that worker. `{{ ds }}` (the logical date of the DAG run) is the run date: a
backfill or a catch-up run computes exactly what the nightly of that day computed.

Exit codes (README): 0 ok, 1 the job failed (retried: a transient cluster problem, or another run
still holding the lake's lock), 2 bad usage or configuration (retrying will not help, but Airflow
cannot tell exit codes apart for BashOperator; the log's one-line message says which).

Deploy: copy this file into the DAGs folder; install the jar and conf/ under HALLMARK_HOME on the
workers (or change HALLMARK_HOME).
"""

from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator

HALLMARK_HOME = "/opt/hallmark"
JAR = HALLMARK_HOME + "/hallmark-jobs.jar"
CONF_FILE = HALLMARK_HOME + "/conf/cluster.conf"
SPARK_SUBMIT = "spark-submit"

# The Java 17 module opens (and two flags) Spark 4 needs on the executors (the driver gets them from
# spark-submit's --driver-java-options); the same list as spark.java17.opens in pom.xml.
JAVA17_OPENS = (
    "--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED "
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED "
    "--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED "
    "--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED "
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED "
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED "
    "--add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED "
    "-Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true"
)

NIGHTLY_COMMAND = (
    SPARK_SUBMIT
    + " --master yarn --deploy-mode client"
    + " --class io.hallmark.cli.Hallmark"
    + " --driver-java-options '" + JAVA17_OPENS + "'"
    + " --conf 'spark.executor.extraJavaOptions=" + JAVA17_OPENS + "'"
    + " " + JAR
    + " nightly --run-date {{ ds }} --conf-file " + CONF_FILE
)

default_args = {
    "owner": "hallmark",
    "retries": 2,
    "retry_delay": timedelta(minutes=20),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(hours=6),
}

with DAG(
    dag_id="hallmark_nightly",
    description="Ingest, yearly statistics and seller risk scores for one day",
    schedule="@daily",
    start_date=datetime(2024, 1, 1),
    catchup=True,
    # one run at a time: the lake holds one nightly lock, and each day builds on the previous ones
    max_active_runs=1,
    default_args=default_args,
    tags=["hallmark"],
) as dag:
    nightly = BashOperator(
        task_id="nightly",
        bash_command=NIGHTLY_COMMAND,
        # the run date's work depends on every earlier day having been ingested
        depends_on_past=True,
    )

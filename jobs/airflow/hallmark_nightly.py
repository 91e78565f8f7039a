"""Hallmark nightly run: one Airflow task per nightly step.

ingest -> silver -> yearly-stats -> seller-features -> risk-scores -> report, each a spark-submit of the
same jar running `hallmark nightly --run-date {{ ds }} --step <step>`: the step runs exactly as inside
the whole nightly (same code, the lake's nightly lock, a job_runs record), so a retry redoes only the
failed step and the UI shows which one failed. `{{ ds }}` (the logical date of the DAG run) is the run
date of every task: a backfill or a catch-up run computes exactly what that day's nightly computed.

Written for apache-airflow-providers-apache-spark 6.3.2 (`SparkSubmitOperator`; install it with its
`pyspark` extra, which the `spark` connection type needs since 6.0) on Airflow 3; the imports fall back
to Airflow 2's paths. Operator parameters used: application, java_class, application_args, conf,
conn_id, name, and deploy_mode, which older providers lack (there, drop it and set the connection's
deploy mode to `client`).

Connection `hallmark_spark` (type Spark): host `yarn` (or `spark://host` + port, or `k8s://https://...`);
its deploy mode is overridden to `client` here. spark-submit must be on the worker's PATH (or set the
connection's `spark-binary`).

Exit codes (README): 0 ok; 1 the job failed: Airflow retries (a transient cluster problem, or another
run still holding the lake's lock); 2 bad usage or configuration: retrying cannot help, so the task
fails at once (AirflowFailException). Client mode keeps the driver in spark-submit's JVM, so
spark-submit exits with the driver's own code; in cluster mode it would not, and every failure would
be retried.

Deploy: copy this file into the DAGs folder; install the jar and conf/ under HALLMARK_HOME on the
workers (environment variable, default /opt/hallmark).
"""

import os
import re
from datetime import datetime, timedelta

try:  # Airflow 3
    from airflow.sdk import DAG
except ImportError:  # Airflow 2
    from airflow import DAG
try:  # Airflow 3 (task SDK)
    from airflow.sdk.exceptions import AirflowFailException
except ImportError:  # Airflow 2 and early 3.x
    from airflow.exceptions import AirflowFailException
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

HALLMARK_HOME = os.environ.get("HALLMARK_HOME", "/opt/hallmark")
JAR = HALLMARK_HOME + "/hallmark-jobs.jar"
CONF_FILE = HALLMARK_HOME + "/conf/cluster.conf"
SPARK_CONN_ID = "hallmark_spark"
MAIN_CLASS = "io.hallmark.cli.Hallmark"

# The nightly's steps in run order (`hallmark nightly --help` lists the same names)
STEPS = ["ingest", "silver", "yearly-stats", "seller-features", "risk-scores", "report"]

# `hallmark` exit code for bad usage or configuration
EXIT_USAGE = 2

# The Java 17 module opens (and two flags) Spark 4 needs on the driver and the executors: the same list
# as spark.java17.opens in pom.xml. In client mode spark-submit starts the driver JVM with
# spark.driver.extraJavaOptions given as --conf.
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

SPARK_CONF = {
    "spark.driver.extraJavaOptions": JAVA17_OPENS,
    "spark.executor.extraJavaOptions": JAVA17_OPENS,
}


def spark_submit_exit_code(error, hook=None):
    """The exit code of a failed spark-submit, or None when the failure carries none.

    The provider's hook keeps the spark-submit process (`_submit_sp`) and raises
    "Cannot execute: <command>. Error code is: <code>." on a non-zero exit; the process's return code
    is used when it is there, else the code in that message.
    """
    process = getattr(hook, "_submit_sp", None)
    code = getattr(process, "returncode", None)
    if isinstance(code, int) and code != 0:
        return code
    found = re.search(r"Error code is: (-?\d+)", str(error))
    return int(found.group(1)) if found else None


class HallmarkStepOperator(SparkSubmitOperator):
    """SparkSubmitOperator for one Hallmark step: exit 2 (bad usage or configuration) fails without retries."""

    def execute(self, context):
        try:
            return super().execute(context)
        except Exception as error:
            if spark_submit_exit_code(error, getattr(self, "_hook", None)) == EXIT_USAGE:
                raise AirflowFailException(
                    f"hallmark step {self.task_id} exited {EXIT_USAGE} (bad usage or configuration): not retried;"
                    " the '[hallmark] ERROR:' line in the log above says what to fix"
                ) from error
            raise


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
        task = HallmarkStepOperator(
            task_id=step,
            application=JAR,
            java_class=MAIN_CLASS,
            application_args=["nightly", "--run-date", "{{ ds }}", "--step", step, "--conf-file", CONF_FILE],
            conn_id=SPARK_CONN_ID,
            deploy_mode="client",
            conf=SPARK_CONF,
            name="hallmark-" + step,
            # a day's ingest needs every earlier day ingested; the later steps recompute from the whole lake
            depends_on_past=upstream is None,
        )
        if upstream is not None:
            upstream >> task
        upstream = task

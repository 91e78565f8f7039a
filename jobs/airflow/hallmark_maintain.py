"""Hallmark lake maintenance: one weekly Airflow task running `hallmark maintain`.

OPTIMIZE of the partitions the nightlies wrote since the last maintenance, deletion-vector purge and
VACUUM (retention `hallmark.maintain.retention` in the --conf-file) of every Delta table of the lake, as a
spark-submit of the same jar as the nightly DAG (hallmark_nightly.py), with the same connection, Java 17
flags and retry rule: exit 1 (the job failed, or a nightly holds the lake's lock) is retried; exit 2 (bad
usage or configuration, e.g. a retention below Delta's 168 hours) fails at once (AirflowFailException).

Sundays at 12:00 UTC, away from the nightly; `maintain` takes the nightly lock, so if a nightly (a
catch-up) still runs, the task fails with exit 1 and its retries wait for it. No catch-up: a missed week
is done by the next one (maintenance is about the lake's state now, not about a logical date).
Self-contained (no import of the nightly DAG file) so Airflow parses each DAG file on its own.
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
    HallmarkStepOperator(
        task_id="maintain",
        application=JAR,
        java_class=MAIN_CLASS,
        application_args=["maintain", "--conf-file", CONF_FILE],
        conn_id=SPARK_CONN_ID,
        deploy_mode="client",
        conf=SPARK_CONF,
        name="hallmark-maintain",
    )

"""What both Hallmark DAG files submit with: the jar, the connection, the Java 17 flags and the retry rule.

Imported by hallmark_nightly.py and hallmark_maintain.py, which Airflow finds beside it (the DAGs folder is
on Python's path). It defines no DAG: .airflowignore beside it keeps Airflow from parsing it as one.

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

Deploy: copy the three .py files and .airflowignore into the DAGs folder; install the jar and conf/ under
HALLMARK_HOME on the workers (environment variable, default /opt/hallmark).
"""

import os
import re

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


def hallmark_task(task_id, args, **kwargs):
    """A task running `hallmark <args> --conf-file CONF_FILE` from the jar in client mode, as every DAG does."""
    return HallmarkStepOperator(
        task_id=task_id,
        application=JAR,
        java_class=MAIN_CLASS,
        application_args=list(args) + ["--conf-file", CONF_FILE],
        conn_id=SPARK_CONN_ID,
        deploy_mode="client",
        conf=SPARK_CONF,
        name="hallmark-" + task_id,
        **kwargs,
    )

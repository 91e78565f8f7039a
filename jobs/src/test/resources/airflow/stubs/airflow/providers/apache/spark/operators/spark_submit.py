"""Stand-in for apache-airflow-providers-apache-spark 6.3.2's SparkSubmitOperator.

Same keyword arguments and template fields as the provider's operator; execute() builds the
spark-submit command line in the order the provider's SparkSubmitHook does, hands it to SUBMIT
(set by the test harness: returns spark-submit's exit code), and on a non-zero code keeps the
"process" on self._hook._submit_sp and raises AirflowException("Cannot execute: ... Error code is:
N.") as the hook does.
"""
import types

from airflow.sdk import BaseOperator
from airflow.sdk.exceptions import AirflowException

# set by the harness
SUBMIT = None
KEEP_PROCESS = True
# connection id -> {"host": ..., "extra": {...}}; an unknown id falls back to master "yarn", as the hook does
CONNECTIONS = {}


class SparkSubmitOperator(BaseOperator):
    template_fields = (
        "application", "conf", "files", "py_files", "jars", "driver_class_path", "packages", "exclude_packages",
        "keytab", "principal", "proxy_user", "name", "application_args", "env_vars", "post_submit_commands",
        "properties_file",
    )

    def __init__(self, *, application="", conf=None, conn_id="spark_default", files=None, py_files=None,
                 archives=None, driver_class_path=None, jars=None, java_class=None, packages=None,
                 exclude_packages=None, repositories=None, total_executor_cores=None, executor_cores=None,
                 executor_memory=None, driver_memory=None, keytab=None, principal=None, proxy_user=None,
                 name="arrow-spark", num_executors=None, status_poll_interval=1, application_args=None,
                 env_vars=None, verbose=False, spark_binary=None, properties_file=None, yarn_queue=None,
                 deploy_mode=None, use_krb5ccache=False, post_submit_commands=None, track_driver_via_k8s_api=False,
                 yarn_track_via_rm_api=False, yarn_rm_auth=None, openlineage_inject_parent_job_info=False,
                 openlineage_inject_transport_info=False, reconnect_on_retry=None, durable=None, **kwargs):
        super().__init__(**kwargs)
        self.application = application
        self.conf = conf
        self.files = files
        self.py_files = py_files
        self.jars = jars
        self.driver_class_path = driver_class_path
        self.packages = packages
        self.exclude_packages = exclude_packages
        self.keytab = keytab
        self.principal = principal
        self.proxy_user = proxy_user
        self.name = name
        self.application_args = application_args
        self.env_vars = env_vars
        self.post_submit_commands = post_submit_commands
        self.properties_file = properties_file
        self._conn_id = conn_id
        self._java_class = java_class
        self._spark_binary = spark_binary
        self._deploy_mode = deploy_mode
        self._verbose = verbose
        self._hook = None

    def spark_submit_command(self):
        """The command line the provider's hook would run (the options this stand-in knows)."""
        connection = CONNECTIONS.get(self._conn_id, {"host": "yarn", "extra": {}})
        deploy_mode = self._deploy_mode or connection.get("extra", {}).get("deploy-mode")
        cmd = [self._spark_binary or "spark-submit", "--master", connection["host"]]
        for key in self.conf or {}:
            cmd += ["--conf", f"{key}={self.conf[key]}"]
        if self.name:
            cmd += ["--name", self.name]
        if self._java_class:
            cmd += ["--class", self._java_class]
        if self._verbose:
            cmd += ["--verbose"]
        if deploy_mode:
            cmd += ["--deploy-mode", deploy_mode]
        return cmd + [self.application] + list(self.application_args or [])

    def execute(self, context):
        cmd = self.spark_submit_command()
        returncode = SUBMIT(cmd)
        self._hook = types.SimpleNamespace(
            _submit_sp=types.SimpleNamespace(returncode=returncode) if KEEP_PROCESS else None)
        if returncode:
            raise AirflowException(f"Cannot execute: {' '.join(cmd)}. Error code is: {returncode}.")

"""Runs a DAG file on the Airflow stand-ins in stubs/ and prints, as JSON, what Airflow would see.

Usage: inspect_dag.py DAG_FILE ds=YYYY-MM-DD

Output: {"dag": {DAG(...) arguments}, "default_args": {...}, "edges": [[upstream, downstream], ...],
  "tasks": [{"task_id", "operator", "operator_module" (where its class is defined), "spark_submit" (a SparkSubmitOperator?), "retries", "depends_on_past",
             "conn_id", "raw_application_args" (before templating), "application", "application_args",
             "conf" (rendered for ds), "argv" (the spark-submit command line),
             "outcomes": {case: "ok" or the exception class execute() raised}}]}

Outcome cases: spark-submit exiting 0, 1, 2, 137; "2-message-only" (exit 2 known only from the hook's
message, no process kept); "no-code" (spark-submit could not be started).
Any error (an unknown operator argument, a template other than {{ ds }}) exits non-zero.
"""
import copy
import datetime
import importlib.util
import json
import os
import sys

sys.dont_write_bytecode = True  # nothing written next to the sources
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "stubs"))

import airflow.sdk as sdk  # noqa: E402
from airflow.providers.apache.spark.operators import spark_submit  # noqa: E402
from airflow.sdk.exceptions import AirflowException  # noqa: E402


def jsonable(value):
    if isinstance(value, (datetime.datetime, datetime.timedelta)):
        return str(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def outcome(task, ds, code, keep_process=True):
    run = copy.copy(task)
    run.render_template_fields(ds)
    spark_submit.KEEP_PROCESS = keep_process

    def submit(argv):
        if code is None:
            raise FileNotFoundError(2, "No such file or directory", argv[0])
        return code

    spark_submit.SUBMIT = submit
    try:
        run.execute({"ds": ds})
        return "ok"
    except AirflowException as e:  # the class decides: AirflowFailException is not retried
        return type(e).__name__
    except Exception as e:  # anything else is retried like a failure
        return type(e).__name__


def main():
    path = sys.argv[1]
    ds = dict(a.split("=", 1) for a in sys.argv[2:])["ds"]
    # the DAG's folder on the path, as Airflow puts its DAGs folder there: the DAG files import their shared module
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    spec = importlib.util.spec_from_file_location("hallmark_dag_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if len(sdk.instances) != 1:
        raise SystemExit(f"expected one DAG in {path}, found {len(sdk.instances)}")
    dag = sdk.instances[0]
    tasks = []
    for task in dag.tasks:
        rendered = copy.copy(task)
        rendered.render_template_fields(ds)
        entry = {
            "task_id": task.task_id,
            "operator": type(task).__name__,
            "operator_module": type(task).__module__,
            "spark_submit": isinstance(task, spark_submit.SparkSubmitOperator),
            "retries": task.retries,
            "depends_on_past": task.depends_on_past,
        }
        if entry["spark_submit"]:
            entry.update({
                "conn_id": task._conn_id,
                "raw_application_args": task.application_args,
                "application": rendered.application,
                "application_args": rendered.application_args,
                "conf": rendered.conf,
                "argv": rendered.spark_submit_command(),
                "outcomes": {
                    "0": outcome(task, ds, 0), "1": outcome(task, ds, 1), "2": outcome(task, ds, 2),
                    "137": outcome(task, ds, 137), "2-message-only": outcome(task, ds, 2, keep_process=False),
                    "no-code": outcome(task, ds, None),
                },
            })
        tasks.append(entry)
    json.dump(jsonable({"dag": dag.kwargs, "default_args": dag.default_args, "edges": dag.edges, "tasks": tasks}),
              sys.stdout, indent=1)


if __name__ == "__main__":
    main()

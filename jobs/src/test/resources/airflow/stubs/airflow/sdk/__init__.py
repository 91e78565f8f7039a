"""Stand-in for airflow.sdk: DAG (a context manager collecting tasks) and BaseOperator (>> edges,
default_args). Records what a DAG file declares; runs nothing by itself."""
import datetime

# BaseOperator arguments that exist in Airflow 2.11 and 3.x (the DAG must not use others)
BASE_OPERATOR_ARGS = {
    "task_id", "owner", "email", "email_on_retry", "email_on_failure", "retries", "retry_delay",
    "retry_exponential_backoff", "max_retry_delay", "start_date", "end_date", "depends_on_past",
    "ignore_first_depends_on_past", "wait_for_downstream", "dag", "params", "default_args", "priority_weight",
    "weight_rule", "queue", "pool", "pool_slots", "execution_timeout", "on_execute_callback",
    "on_failure_callback", "on_success_callback", "on_retry_callback", "trigger_rule", "max_active_tis_per_dag",
    "executor_config", "do_xcom_push", "inlets", "outlets", "doc", "doc_md", "doc_rst", "doc_json", "doc_yaml",
}
BASE_OPERATOR_DEFAULTS = {"retries": 0, "depends_on_past": False, "wait_for_downstream": False}

DAG_ARGS = {
    "dag_id", "description", "schedule", "start_date", "end_date", "catchup", "max_active_runs",
    "max_active_tasks", "default_args", "tags", "doc_md", "dagrun_timeout", "params", "owner_links",
    "max_consecutive_failed_dag_runs", "is_paused_upon_creation", "render_template_as_native_obj",
}

_current = []
instances = []


class DAG:
    def __init__(self, dag_id=None, **kwargs):
        unknown = set(kwargs) - DAG_ARGS
        if unknown:
            raise TypeError(f"DAG() got unexpected keyword argument(s) {sorted(unknown)}")
        if not dag_id:
            raise TypeError("DAG() needs a dag_id")
        self.dag_id = dag_id
        self.kwargs = dict(kwargs, dag_id=dag_id)
        self.default_args = dict(kwargs.get("default_args") or {})
        unknown = set(self.default_args) - BASE_OPERATOR_ARGS
        if unknown:
            raise TypeError(f"default_args holds argument(s) no operator takes: {sorted(unknown)}")
        self.tasks = []
        self.edges = []
        instances.append(self)

    def __enter__(self):
        _current.append(self)
        return self

    def __exit__(self, *exc):
        _current.pop()
        return False


class BaseOperator:
    template_fields = ()

    def __init__(self, task_id=None, **kwargs):
        unknown = set(kwargs) - BASE_OPERATOR_ARGS
        if unknown:
            raise TypeError(f"{type(self).__name__}() got unexpected keyword argument(s) {sorted(unknown)}")
        dag = kwargs.pop("dag", None) or (_current[-1] if _current else None)
        if dag is None:
            raise TypeError(f"task {task_id} is not in a DAG")
        if task_id in [t.task_id for t in dag.tasks]:
            raise ValueError(f"duplicate task_id {task_id}")
        self.task_id = task_id
        self.dag = dag
        effective = dict(BASE_OPERATOR_DEFAULTS)
        effective.update(dag.default_args)
        effective.update(kwargs)  # explicit arguments win over default_args, as in Airflow
        self.base_args = effective
        self.retries = effective["retries"]
        self.depends_on_past = effective["depends_on_past"]
        dag.tasks.append(self)

    def __rshift__(self, other):
        for task in other if isinstance(other, (list, tuple)) else [other]:
            self.dag.edges.append((self.task_id, task.task_id))
        return other

    def __lshift__(self, other):
        for task in other if isinstance(other, (list, tuple)) else [other]:
            self.dag.edges.append((task.task_id, self.task_id))
        return other

    def render_template_fields(self, ds):
        """Renders `{{ ds }}` in the template fields as Airflow does before execute; any other template is an error."""
        for field in self.template_fields:
            setattr(self, field, _render(getattr(self, field, None), ds, f"{self.task_id}.{field}"))


def _render(value, ds, where):
    if isinstance(value, str):
        rendered = value.replace("{{ ds }}", ds)
        if "{{" in rendered or "{%" in rendered:
            raise ValueError(f"{where}: template other than {{{{ ds }}}} in {value!r}")
        return rendered
    if isinstance(value, list):
        return [_render(v, ds, where) for v in value]
    if isinstance(value, dict):
        return {k: _render(v, ds, where) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, datetime.timedelta)):
        return value
    raise ValueError(f"{where}: cannot render {type(value).__name__}")

"""Stand-in for airflow.sdk.exceptions: the two exceptions the DAG's retry rule is about."""


class AirflowException(Exception):
    """Any task failure: Airflow retries it while the task has retries left."""


class AirflowFailException(AirflowException):
    """Raise when the task should be failed without retrying."""

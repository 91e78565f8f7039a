"""Stand-in for airflow.exceptions (Airflow 2 path): the same classes as airflow.sdk.exceptions."""
from airflow.sdk.exceptions import AirflowException, AirflowFailException  # noqa: F401

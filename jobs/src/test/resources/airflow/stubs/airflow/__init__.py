"""Stand-in for the few parts of Airflow the Hallmark DAG uses, so AirflowDagTest can run the DAG file
without Airflow (it cannot be installed here). Only what the DAG needs, with the real names and
signatures: an unknown argument is a TypeError, so a typo in the DAG fails the test instead of
passing it. Airflow 2 path of the DAG class.
"""
from airflow.sdk import DAG  # noqa: F401

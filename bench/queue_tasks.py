"""The tasks bench/task_queue.py sends through each task backend; workers import them as ``bench.queue_tasks``."""

import time

from django.db import connection
from django_tasks import task


@task()
def noop_task(n: int) -> int:
    """Nothing at all: what is left is the queue's own cost per task."""
    return n


@task()
def short_task(n: int, milliseconds: int = 10) -> int:
    """A short piece of work: ``milliseconds`` of CPU and one database round trip."""
    until = time.process_time() + milliseconds / 1000
    while time.process_time() < until:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return n

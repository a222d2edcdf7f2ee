"""The locust users of bench/api.py: a path and its floor in turns, or the enrolment burst.

Run by bench/api.py as one headless ``locust`` process per measure, told what to do by the JSON file
``BENCH_PLAN`` names:

- ``{"kind": "get", "sides": {"real": path, "floor": path}, "headers": {…}, "warmup": s, "switch": s}``:
  every user GETs back to back, all of them on the same side at a time, the sides taking turns every
  ``switch`` seconds, so that a change in the machine's load weighs on both alike. A turn ends once
  its last request is answered (none of one side's requests waits behind the other's), and each
  side's requests/s are counted over its own turns; the figures are reset once the warm-up is over.
- ``{"kind": "burst", "requests": [{"path": …, "headers": {…}, "body": {…}}, …]}``: the users share
  the list and POST each entry once; locust stops when all are answered.

It writes, per side (or ``burst``), requests/s, p50, p99, failures and the count of each status code
to ``BENCH_OUT``. FastHttpUser (geventhttpclient) keeps locust's own CPU small beside gunicorn and
PostgreSQL.
"""

import json
import os
import time
from collections import Counter, defaultdict

import gevent
from locust import FastHttpUser, constant, events, task

PLAN = json.loads(open(os.environ["BENCH_PLAN"]).read())
statuses = defaultdict(Counter)
measured = {"since": None, "done": None}
queue = list(reversed(PLAN.get("requests", [])))
answered = [0]


turns = {"side": "real", "started": time.time(), "draining": False, "in_flight": 0,
         "seconds": {"real": 0.0, "floor": 0.0}}


def side_now():
    """The side whose turn it is, or None while the last turn's requests are still being answered."""
    now = time.time()
    if turns["draining"]:
        if turns["in_flight"]:
            return None
        turns["seconds"][turns["side"]] += now - turns["started"]
        turns["side"] = "floor" if turns["side"] == "real" else "real"
        turns["started"], turns["draining"] = now, False
    elif now - turns["started"] >= PLAN.get("switch", 1):
        turns["draining"] = True
        return None
    return turns["side"]


@events.request.add_listener
def count_status(name=None, response=None, exception=None, **kwargs):
    if measured["since"] is None:
        return
    code = getattr(response, "status_code", None) if response is not None else None
    statuses[name]["error" if exception is not None and not code else str(code)] += 1


@events.test_start.add_listener
def start_measuring(environment, **kwargs):

    def reset():
        gevent.sleep(PLAN.get("warmup", 0))
        environment.runner.stats.reset_all()
        statuses.clear()
        measured["since"] = turns["started"] = time.time()
        turns["seconds"] = {"real": 0.0, "floor": 0.0}

    gevent.spawn(reset)


@events.quitting.add_listener
def write_figures(environment, **kwargs):
    if PLAN["kind"] == "get":
        turns["seconds"][turns["side"]] += time.time() - turns["started"]  # the turn under way
        names, seconds = ("real", "floor"), turns["seconds"]
    else:
        names = ("burst",)
        seconds = {"burst": (measured["done"] or time.time()) - (measured["since"] or time.time())}
    figures = {}
    for name in names:
        entry = environment.stats.get(name, "GET" if PLAN["kind"] == "get" else "POST")
        figures[name] = {
            "requests": entry.num_requests, "failures": entry.num_failures,
            "seconds": seconds[name], "rps": entry.num_requests / max(seconds[name], 1e-9),
            "p50": entry.get_response_time_percentile(0.5) if entry.num_requests else None,
            "p99": entry.get_response_time_percentile(0.99) if entry.num_requests else None,
            "statuses": dict(statuses[name]),
            # {response time in ms, as locust rounds it: count}, so the bench can merge runs' percentiles.
            "histogram": {str(ms): n for ms, n in entry.response_times.items()},
            "errors": [{"error": str(e.error)[:200], "occurrences": e.occurrences}
                       for e in environment.stats.errors.values() if e.name == name][:5],
        }
    with open(os.environ["BENCH_OUT"], "w") as out:
        json.dump(figures, out)


class PathUser(FastHttpUser):
    wait_time = constant(0)
    network_timeout = 60.0
    connection_timeout = 60.0

    @task
    def call(self):
        if PLAN["kind"] == "get":
            side = side_now()
            if side is None:
                gevent.sleep(0.002)
                return
            turns["in_flight"] += 1
            try:
                self.client.get(PLAN["sides"][side], headers=PLAN["headers"], name=side)
            finally:
                turns["in_flight"] -= 1
            return
        if not queue:
            if answered[0] >= len(PLAN["requests"]) and measured["done"] is None:
                measured["done"] = time.time()
                # From a greenlet of its own: quit() stops every user, this one included.
                gevent.spawn(self.environment.runner.quit)
            gevent.sleep(0.05)
            return
        entry = queue.pop()
        with self.client.post(entry["path"], json=entry["body"], headers=entry["headers"], name="burst",
                              catch_response=True) as response:
            # A refusal (400: closed, a clash) is an answer, not a failure; a 5xx is.
            if response.status_code < 500 and response.status_code != 0:
                response.success()
        answered[0] += 1

"""Counting the statements a step issues, with the time spent in the slowest kinds of statement."""

from __future__ import annotations

import time


class Counter:
    """A connection.execute_wrapper: counts statements and sums their time by their first 60 characters."""

    def __init__(self):
        self.statements = 0
        self.seconds: dict[str, float] = {}

    def __call__(self, execute, sql, params, many, context):
        self.statements += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            key = sql[:60]
            self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - started

    @property
    def database_seconds(self) -> float:
        return sum(self.seconds.values())

    def slowest(self, n: int = 6) -> str:
        rows = sorted(self.seconds.items(), key=lambda kv: -kv[1])[:n]
        return "\n".join(f"  {s:7.3f} s  {sql}" for sql, s in rows)

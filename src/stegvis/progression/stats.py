"""Small statistics for progression: mean change with a 95 % confidence interval.

For n paired changes d_1..d_n (latest minus first):
    mean = sum(d) / n
    s    = sqrt(sum((d - mean)^2) / (n - 1))          (sample standard deviation)
    CI   = mean ± t(0.975, n - 1) · s / sqrt(n)
t(0.975, df) comes from the table below; between listed degrees of freedom the next lower
one is used (a slightly wider, conservative interval); above 120 the normal 1.960.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

T_975 = {
    1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
    9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120,
    17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064,
    25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045, 30: 2.042, 40: 2.021, 60: 2.000,
    120: 1.980,
}  # fmt: skip


def t_critical(df: int) -> float:
    if df < 1:
        raise ValueError("at least one degree of freedom")
    if df > 120:
        return 1.960
    return T_975[max(k for k in T_975 if k <= df)]


@dataclass(frozen=True)
class MeanChange:
    n: int
    mean: float
    low: float | None
    high: float | None


def mean_change(changes: list[float]) -> MeanChange | None:
    if not changes:
        return None
    n = len(changes)
    mean = statistics.fmean(changes)
    if n < 2:
        return MeanChange(n=n, mean=mean, low=None, high=None)
    half = t_critical(n - 1) * statistics.stdev(changes) / math.sqrt(n)
    return MeanChange(n=n, mean=mean, low=mean - half, high=mean + half)

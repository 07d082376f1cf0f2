#!/usr/bin/env python3
"""Prints SciPy's 95% Wilson intervals for the proportions ProportionIntervalTests checks.

Run with the reference environment: .build-python/bin/python Scripts/reference/wilson_interval.py
"""
from scipy.stats import binomtest

for successes, trials in [(20, 100), (0, 50), (50, 50), (3, 7)]:
    interval = binomtest(successes, trials).proportion_ci(confidence_level=0.95, method="wilson")
    print(f"{successes} of {trials}: {float(interval.low)!r}...{float(interval.high)!r}")

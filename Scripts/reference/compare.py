#!/usr/bin/env python3
"""Prints FERLab's and the reference pipeline's step timings side by side.

    python3 compare.py ferlab.json reference.json
Both files hold one JSON object of seconds per step (as printed by
`ferlab-bench numerics` and `pipeline.py`).
"""
import json
import sys

LABELS = [
    ("load", "CSV load"),
    ("scale", "min-max scaling"),
    ("pca2", "PCA, 2 components"),
    ("svd2", "TruncatedSVD, 2 components"),
    ("kmeans7", "k-means, k=7, n_init=10"),
    ("silhouette", "one exact silhouette"),
    ("grid", "grid: 4 x 11 k-means + silhouette"),
]


def main():
    ours = json.load(open(sys.argv[1]))
    theirs = json.load(open(sys.argv[2]))
    print(f"{'step':36} {'FERLab':>10} {'reference':>10} {'ratio':>8}")
    for key, label in LABELS:
        if key in ours and key in theirs:
            ratio = theirs[key] / ours[key] if ours[key] > 0 else float("inf")
            print(f"{label:36} {ours[key]:9.3f}s {theirs[key]:9.3f}s {ratio:7.1f}x")
    if "rows" in ours:
        print(f"(rows: {int(ours['rows'])}; median seconds; ratio = reference / FERLab)")


if __name__ == "__main__":
    main()

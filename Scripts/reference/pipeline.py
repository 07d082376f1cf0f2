#!/usr/bin/env python3
"""The notebooks' pipeline in pandas, scikit-learn and matplotlib, timed step by step.

This is the reference FERLab is measured against (Scripts/bench): the same
steps, done the way the notebooks did them but without their bugs. Prints one
JSON object of median seconds per step.

    python pipeline.py fer2013.csv.gz [--per-class 4000] [--repeat 3] [--no-grid]
"""
import argparse
import json
import time

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.metrics import silhouette_score


def median_time(repeat, step):
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--per-class", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-grid", action="store_true")
    args = parser.parse_args()
    timings = {}

    def load():
        frame = pd.read_csv(args.path)
        pixels = np.array([np.array(p.split(), dtype=np.uint8) for p in frame["pixels"]])
        return frame, pixels

    timings["load"], (frame, pixels) = median_time(1, load)
    subset = frame.groupby("emotion", sort=False).head(args.per_class).index.sort_values()
    images = pixels[subset].astype(np.float64)
    timings["rows"] = len(subset)

    def scale():
        low = images.min(axis=1, keepdims=True)
        span = images.max(axis=1, keepdims=True) - low
        span[span == 0] = 1
        return (images - low) / span

    timings["scale"], x = median_time(args.repeat, scale)
    timings["pca2"], points = median_time(args.repeat, lambda: PCA(n_components=2).fit_transform(x))
    timings["svd2"], _ = median_time(args.repeat, lambda: TruncatedSVD(n_components=2).fit_transform(x))
    timings["kmeans7"], model = median_time(args.repeat, lambda: KMeans(n_clusters=7, n_init=10).fit(points))
    timings["silhouette"], _ = median_time(args.repeat, lambda: silhouette_score(points, model.labels_))

    if not args.no_grid:
        def grid():
            for components in range(2, 6):
                reduced = PCA(n_components=components).fit_transform(x)
                for k in range(5, 16):
                    labels = KMeans(n_clusters=k, n_init=10).fit_predict(reduced)
                    silhouette_score(reduced, labels)
        timings["grid"], _ = median_time(1, grid)
    print(json.dumps(timings, sort_keys=True))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The seed-v2 experiment in pandas, scikit-learn and matplotlib, timed.

This is the reference FERLab is measured against (Scripts/bench): the work of
Reports/seed-v2.yaml done the way the notebooks did it, without their bugs.
Every mode prints one JSON object of seconds.

    python pipeline.py steps PATH [--per-class 4000] [--repeat 3]
        median seconds of load, sample_scale, pca2, svd2, kmeans7, silhouette
    python pipeline.py end-to-end PATH [--per-class 4000] [--out DIR]
        the whole experiment once (load, both reducers, clustering,
        silhouettes and their structureless baselines, the 44-fit grid, the
        second model, five k-means seeds, the 10-fold silhouette and the
        report's 24 figures as PNG files): each part's seconds and the total
    python pipeline.py scaling PATH [--repeat 1]
        k-means and one silhouette on the first 5k, 10k, 20k and all rows
"""
import argparse
import json
import os
import tempfile
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy.optimize import linear_sum_assignment  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.decomposition import PCA, TruncatedSVD  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import (adjusted_rand_score, confusion_matrix,  # noqa: E402
                             normalized_mutual_info_score, silhouette_samples, silhouette_score)
from sklearn.model_selection import KFold, train_test_split  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

EMOTIONS = ["Angry", "Disgust", "Fear", "Happy", "Sad", "Surprise", "Neutral"]
CLUSTERS = 7
SEED = 0


def timed(step, *args):
    start = time.perf_counter()
    result = step(*args)
    return time.perf_counter() - start, result


def median_time(repeat, step):
    times, result = [], None
    for _ in range(max(1, repeat)):
        seconds, result = timed(step)
        times.append(seconds)
    return float(np.median(times)), result


def load(path):
    frame = pd.read_csv(path)
    pixels = np.array([np.array(p.split(), dtype=np.uint8) for p in frame["pixels"]])
    return frame, pixels


def sample_and_scale(frame, pixels, per_class):
    rows = frame.groupby("emotion", sort=False).head(per_class).index.sort_values()
    images = pixels[rows].astype(np.float64)
    low = images.min(axis=1, keepdims=True)
    span = images.max(axis=1, keepdims=True) - low
    span[span == 0] = 1
    return rows, (images - low) / span


def hungarian_map(clusters, labels):
    table = confusion_matrix(labels, clusters, labels=range(CLUSTERS))
    rows, cols = linear_sum_assignment(-table)
    mapping = np.zeros(CLUSTERS, dtype=int)
    mapping[cols] = rows
    return mapping


def structureless_silhouette(points):
    rng = np.random.default_rng(SEED)
    fake = rng.multivariate_normal(points.mean(axis=0), np.cov(points, rowvar=False), size=len(points))
    labels = KMeans(n_clusters=CLUSTERS, n_init=10, random_state=SEED).fit_predict(fake)
    return silhouette_score(fake, labels)


def model(train, test, y_train, y_test):
    kmeans = KMeans(n_clusters=CLUSTERS, n_init=10, random_state=SEED).fit(train)
    predicted = kmeans.predict(test)
    mapping = hungarian_map(kmeans.labels_, y_train)
    return {
        "kmeans": kmeans, "test_clusters": predicted, "mapping": mapping,
        "silhouette": silhouette_score(train, kmeans.labels_),
        "baseline": structureless_silhouette(train),
        "accuracy": float(np.mean(mapping[predicted] == y_test)),
        "nmi": normalized_mutual_info_score(y_train, kmeans.labels_),
        "ari": adjusted_rand_score(y_train, kmeans.labels_),
        "confusion": confusion_matrix(y_test, mapping[predicted], labels=range(CLUSTERS)),
    }


def grid(points):
    cells = {}
    for components in range(2, 6):
        for k in range(5, 16):
            labels = KMeans(n_clusters=k, n_init=10, random_state=SEED).fit_predict(points[:, :components])
            cells[(components, k)] = silhouette_score(points[:, :components], labels)
    return cells


def second_model(train, test, y_train, y_test, final):
    scaler = StandardScaler().fit(train)
    a, b = scaler.transform(train), scaler.transform(test)
    mapped = final["mapping"][final["kmeans"].labels_]
    on_clusters = LogisticRegression(C=1, max_iter=1000).fit(a, mapped).predict(b)
    supervised = LogisticRegression(C=1, max_iter=1000).fit(a, y_train).predict(b)
    return {
        "on_clusters": float(np.mean(on_clusters == y_test)), "supervised": float(np.mean(supervised == y_test)),
        "confusion_clusters": confusion_matrix(y_test, on_clusters, labels=range(CLUSTERS)),
        "confusion_supervised": confusion_matrix(y_test, supervised, labels=range(CLUSTERS)),
    }


def stability(x_train, train, test, y_train, y_test, final, seeds=5, folds=10):
    labelings, accuracies = [final["kmeans"].labels_], [final["accuracy"]]
    for seed in range(1, seeds):
        kmeans = KMeans(n_clusters=CLUSTERS, n_init=10, random_state=seed).fit(train)
        mapping = hungarian_map(kmeans.labels_, y_train)
        labelings.append(kmeans.labels_)
        accuracies.append(float(np.mean(mapping[kmeans.predict(test)] == y_test)))
    pairwise = [adjusted_rand_score(labelings[i], labelings[j])
                for i in range(seeds) for j in range(i + 1, seeds)]
    fold_silhouettes = []
    for fitted, held in KFold(folds, shuffle=True, random_state=SEED).split(x_train):
        pca = PCA(n_components=2, random_state=SEED).fit(x_train[fitted])
        kmeans = KMeans(n_clusters=CLUSTERS, n_init=10, random_state=SEED).fit(pca.transform(x_train[fitted]))
        scores = pca.transform(x_train[held])
        labels = kmeans.predict(scores)
        fold_silhouettes.append(silhouette_score(scores, labels) if len(set(labels)) > 1 else None)
    return {"accuracies": accuracies, "pairwise": pairwise, "folds": fold_silhouettes}


def mosaic(ax, images, columns):
    rows = (len(images) + columns - 1) // columns
    canvas = np.ones((rows * 50, columns * 50))
    for index, image in enumerate(images):
        r, c = divmod(index, columns)
        canvas[r * 50:r * 50 + 48, c * 50:c * 50 + 48] = image.reshape(48, 48)
    ax.imshow(canvas, cmap="gray")
    ax.axis("off")


def save(fig, folder, name):
    fig.savefig(os.path.join(folder, name + ".png"), dpi=100)
    plt.close(fig)


def bars(folder, name, labels, values, title):
    fig, ax = plt.subplots(figsize=(8, 5))
    ax.bar(labels, values, color="tab:blue")
    ax.set_title(title)
    save(fig, folder, name)


def scatter(folder, name, points, labels, centres=None):
    fig, ax = plt.subplots(figsize=(8, 6))
    ax.scatter(points[:, 0], points[:, 1], c=labels, cmap="tab10", s=2, alpha=0.5)
    if centres is not None:
        ax.scatter(centres[:, 0], centres[:, 1], c="black", marker="x", s=80)
    save(fig, folder, name)


def heatmap(folder, name, table, title):
    fig, ax = plt.subplots(figsize=(7, 6))
    image = ax.imshow(table, cmap="viridis")
    for (i, j), value in np.ndenumerate(table):
        ax.text(j, i, f"{value:.2f}" if isinstance(value, float) else str(value), ha="center", va="center", fontsize=7)
    fig.colorbar(image)
    ax.set_title(title)
    save(fig, folder, name)


def nearest_images(images, points, centres, count):
    return [images[np.argsort(((points - centre) ** 2).sum(axis=1))[:count]] for centre in centres]


def figures(folder, r):
    """The report's 24 figures, as the notebooks would draw them."""
    frame, images, y = r["frame"], r["x_train"], r["y_train"]
    counts = frame["emotion"].value_counts().sort_index()
    bars(folder, "class-balance", EMOTIONS, counts.values, "Images per emotion")
    bars(folder, "class-balance-subset", EMOTIONS, np.bincount(y, minlength=7), "Images per emotion (subset)")
    fig, ax = plt.subplots(figsize=(10, 10))
    mosaic(ax, np.concatenate([images[y == label][:8] for label in range(7)]), 8)
    save(fig, folder, "samples")
    fig, ax = plt.subplots(figsize=(6, 4))
    mosaic(ax, images[np.random.default_rng(SEED).choice(len(images), 5)], 5)
    save(fig, folder, "random")
    for name in ("pca", "svd"):
        m, points = r[name], r[name + "_train"]
        scatter(folder, f"{name}-scatter", points, m["kmeans"].labels_)
        scatter(folder, f"{name}-scatter-centres", points, m["kmeans"].labels_, m["kmeans"].cluster_centers_)
    final, points = r["pca"], r["pca_train"]
    fig, ax = plt.subplots(figsize=(12, 8))
    mosaic(ax, np.concatenate(nearest_images(images, points, final["kmeans"].cluster_centers_, 30)), 30)
    save(fig, folder, "nearest")
    table = np.array([[r["grid"][(c, k)] for k in range(5, 16)] for c in range(2, 6)])
    heatmap(folder, "grid-heatmap", table, "Silhouette, components x clusters")
    fig, ax = plt.subplots(figsize=(8, 5))
    for row, components in zip(table, range(2, 6)):
        ax.plot(range(5, 16), row, marker="o", label=f"{components} components")
    ax.legend()
    save(fig, folder, "grid-lines")
    fig, ax = plt.subplots(figsize=(8, 6))
    values, start = silhouette_samples(points, final["kmeans"].labels_), 0
    for cluster in range(CLUSTERS):
        band = np.sort(values[final["kmeans"].labels_ == cluster])
        ax.fill_betweenx(np.arange(start, start + len(band)), 0, band)
        start += len(band) + 50
    ax.axvline(final["silhouette"], color="red")
    save(fig, folder, "silhouette-diagram")
    heatmap(folder, "confusion", final["confusion"], "Confusion (held-out)")
    fig, ax = plt.subplots(figsize=(8, 5))
    ax.plot(np.cumsum(r["pca_model"].explained_variance_ratio_), marker="o")
    save(fig, folder, "scree")
    fig, ax = plt.subplots(figsize=(10, 3))
    mosaic(ax, r["pca_model"].components_[:8], 8)
    save(fig, folder, "eigenfaces")
    label_means = np.array([images[y == label].mean(axis=0) for label in range(7)])
    cluster_means = np.array([images[final["kmeans"].labels_ == c].mean(axis=0) for c in range(CLUSTERS)])
    for name, means in (("mean-faces-label", label_means), ("mean-faces-cluster", cluster_means)):
        fig, ax = plt.subplots(figsize=(10, 2))
        mosaic(ax, means, 7)
        save(fig, folder, name)
    bars(folder, "cluster-brightness", [str(c) for c in range(CLUSTERS)], cluster_means.mean(axis=1), "Brightness")
    captured = np.bincount(final["mapping"][final["kmeans"].labels_], minlength=7)
    bars(folder, "clusters-captured", EMOTIONS, captured, "Images per mapped emotion")
    second = r["second"]
    heatmap(folder, "confusion-second-model", second["confusion_clusters"], "Classifier on cluster labels")
    heatmap(folder, "confusion-supervised", second["confusion_supervised"], "Classifier on true labels")
    bars(folder, "second-model-accuracy", ["clusters", "classifier", "supervised"],
         [final["accuracy"], second["on_clusters"], second["supervised"]], "Held-out accuracy")
    stable = r["stability"]
    bars(folder, "stability-seeds", [str(s) for s in range(len(stable["accuracies"]))], stable["accuracies"], "Seeds")
    bars(folder, "stability-folds", [str(f) for f in range(len(stable["folds"]))],
         [value or 0 for value in stable["folds"]], "Held-out fold silhouettes")


def end_to_end(args):
    seconds, r, start = {}, {}, time.perf_counter()
    seconds["load"], (frame, pixels) = timed(load, args.path)
    seconds["sample_scale"], (rows, x) = timed(sample_and_scale, frame, pixels, args.per_class)
    y = frame["emotion"].to_numpy()[rows]
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.1, stratify=y, random_state=SEED)
    r.update(frame=frame, x_train=x_train, y_train=y_train)

    def reduce():
        pca = PCA(n_components=20, random_state=SEED).fit(x_train)
        svd = TruncatedSVD(n_components=2, random_state=SEED).fit(x_train)
        return pca, svd
    seconds["reduce"], (pca, svd) = timed(reduce)
    r["pca_model"] = pca
    r["pca_train"], pca_test = pca.transform(x_train)[:, :2], pca.transform(x_test)[:, :2]
    r["svd_train"], svd_test = svd.transform(x_train), svd.transform(x_test)
    seconds["models"], (r["pca"], r["svd"]) = timed(lambda: (
        model(r["pca_train"], pca_test, y_train, y_test), model(r["svd_train"], svd_test, y_train, y_test)))
    seconds["grid"], r["grid"] = timed(grid, pca.transform(x_train)[:, :5])
    seconds["second_model"], r["second"] = timed(second_model, r["pca_train"], pca_test, y_train, y_test, r["pca"])
    seconds["stability"], r["stability"] = timed(
        stability, x_train, r["pca_train"], pca_test, y_train, y_test, r["pca"])
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.out or scratch
        os.makedirs(folder, exist_ok=True)
        seconds["figures"], _ = timed(figures, folder, r)
    seconds["end_to_end"] = time.perf_counter() - start
    seconds["rows"] = len(rows)
    return seconds


def steps(args):
    timings = {}
    timings["load"], (frame, pixels) = median_time(args.repeat, lambda: load(args.path))
    timings["sample_scale"], (rows, x) = median_time(
        args.repeat, lambda: sample_and_scale(frame, pixels, args.per_class))
    timings["rows"] = len(rows)
    timings["pca2"], points = median_time(args.repeat, lambda: PCA(n_components=2).fit_transform(x))
    timings["svd2"], _ = median_time(args.repeat, lambda: TruncatedSVD(n_components=2).fit_transform(x))
    timings["kmeans7"], kmeans = median_time(args.repeat, lambda: KMeans(n_clusters=7, n_init=10).fit(points))
    timings["silhouette"], _ = median_time(args.repeat, lambda: silhouette_score(points, kmeans.labels_))
    return timings


def scaling(args):
    frame, pixels = load(args.path)
    _, x = sample_and_scale(frame, pixels, len(frame))
    points = PCA(n_components=2, random_state=SEED).fit_transform(x)
    result = []
    for rows in [n for n in (5000, 10000, 20000) if n < len(points)] + [len(points)]:
        some = points[:rows]
        seconds, kmeans = median_time(args.repeat, lambda: KMeans(n_clusters=7, n_init=10).fit(some))
        silhouette, _ = median_time(args.repeat, lambda: silhouette_score(some, kmeans.labels_))
        result.append({"rows": rows, "kmeans7": seconds, "silhouette": silhouette})
    return {"scaling": result}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["steps", "end-to-end", "scaling"])
    parser.add_argument("path")
    parser.add_argument("--per-class", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", help="keep the end-to-end figures in this folder")
    args = parser.parse_args()
    run = {"steps": steps, "end-to-end": end_to_end, "scaling": scaling}[args.mode]
    print(json.dumps(run(args), sort_keys=True))


if __name__ == "__main__":
    main()

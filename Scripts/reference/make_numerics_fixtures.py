#!/usr/bin/env python3
"""Computes scikit-learn's results on small fixed inputs, once.

The inputs and the reference outputs are written together as JSON under
Tests/FERMathTests/Fixtures; FERLab's tests read them and never run Python.
Rerun only to change the fixtures, with the pinned versions:

    python3 -m venv /tmp/ferlab-ref && /tmp/ferlab-ref/bin/pip install -r Scripts/reference/requirements.txt
    /tmp/ferlab-ref/bin/python Scripts/reference/make_numerics_fixtures.py
"""
import json
import os

import numpy as np
import sklearn
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.metrics import (accuracy_score, adjusted_rand_score, confusion_matrix,
                             normalized_mutual_info_score, precision_score, recall_score,
                             silhouette_samples, silhouette_score)

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "FERMathTests", "Fixtures")
rng = np.random.default_rng(20130)


def write(name, payload):
    payload["generator"] = f"scikit-learn {sklearn.__version__}, numpy {np.__version__}"
    with open(os.path.join(OUT, name), "w") as out:
        json.dump(payload, out, indent=None, separators=(",", ":"))
        out.write("\n")


def rows(matrix):
    return [[float(v) for v in row] for row in np.asarray(matrix)]


def low_rank_data(n, d, rank, scales):
    """Rows in [0, 1]-ish with a few strong directions and noise, like scaled images."""
    basis = rng.normal(size=(rank, d))
    weights = rng.normal(size=(n, rank)) * np.asarray(scales)
    return 0.5 + 0.05 * (weights @ basis) + 0.01 * rng.normal(size=(n, d))


# PCA: exact reference (full SVD); FERLab's exact and randomized solvers must match it.
X = low_rank_data(150, 30, 6, [6, 4, 3, 2, 1.5, 1])
X_new = low_rank_data(20, 30, 6, [6, 4, 3, 2, 1.5, 1])
pca = PCA(n_components=5, svd_solver="full").fit(X)
write("pca.json", {
    "x": rows(X), "x_new": rows(X_new), "components": 5,
    "mean": [float(v) for v in pca.mean_],
    "explained_variance": [float(v) for v in pca.explained_variance_],
    "explained_variance_ratio": [float(v) for v in pca.explained_variance_ratio_],
    "singular_values": [float(v) for v in pca.singular_values_],
    "components_matrix": rows(pca.components_),
    "transform_new": rows(pca.transform(X_new)),
    "noise_variance": float(pca.noise_variance_),
})

# TruncatedSVD (uncentred): exact reference via ARPACK.
svd = TruncatedSVD(n_components=4, algorithm="arpack").fit(X)
write("truncated_svd.json", {
    "x": rows(X), "components": 4,
    "explained_variance": [float(v) for v in svd.explained_variance_],
    "explained_variance_ratio": [float(v) for v in svd.explained_variance_ratio_],
    "singular_values": [float(v) for v in svd.singular_values_],
    "components_matrix": rows(svd.components_),
})

# k-means: scikit-learn's best inertia over n_init restarts, for several k.
centers = rng.normal(scale=4, size=(5, 4))
blobs = np.vstack([c + rng.normal(size=(80, 4)) for c in centers])
rng.shuffle(blobs)
kmeans_cases = []
for k in (3, 5, 8):
    model = KMeans(n_clusters=k, n_init=10, random_state=0).fit(blobs)
    kmeans_cases.append({"k": k, "n_init": 10, "inertia": float(model.inertia_),
                         "labels": [int(v) for v in model.labels_]})
cloud = rng.normal(size=(500, 2))
for k in (7,):
    model = KMeans(n_clusters=k, n_init=10, random_state=0).fit(cloud)
    kmeans_cases.append({"k": k, "n_init": 10, "inertia": float(model.inertia_), "on": "cloud",
                         "labels": [int(v) for v in model.labels_]})
write("kmeans.json", {"x": rows(blobs), "cloud": rows(cloud), "cases": kmeans_cases,
                      "tol": 1e-4, "max_iter": 300})

# Silhouette for given labels: k-means labels, random labels, and a singleton cluster.
points = np.vstack([rng.normal(loc=c, size=(100, 3)) for c in ([0, 0, 0], [3, 1, 0], [0, 4, 2])])
kmeans_labels = KMeans(n_clusters=3, n_init=10, random_state=0).fit_predict(points)
random_labels = rng.integers(0, 4, size=len(points))
singleton = kmeans_labels.copy()
singleton[17] = 3
silhouette_cases = []
for name, labels in (("kmeans", kmeans_labels), ("random", random_labels), ("singleton", singleton)):
    silhouette_cases.append({"name": name, "labels": [int(v) for v in labels],
                             "score": float(silhouette_score(points, labels)),
                             "samples": [float(v) for v in silhouette_samples(points, labels)]})
write("silhouette.json", {"x": rows(points), "cases": silhouette_cases})

# Clustering metrics: 7 true classes, 9 clusters with partial agreement.
y_true = rng.integers(0, 7, size=600)
y_pred = np.where(rng.random(600) < 0.55, (y_true * 3 + 1) % 9, rng.integers(0, 9, size=600))
contingency = np.zeros((9, 7), dtype=int)
for c, t in zip(y_pred, y_true):
    contingency[c, t] += 1
row_ind, col_ind = linear_sum_assignment(-contingency)
hungarian = {int(r): int(c) for r, c in zip(row_ind, col_ind)}
majority = {int(c): int(np.argmax(contingency[c])) for c in range(9)}
mapped_majority = np.array([majority[c] for c in y_pred])
hungarian_pred = np.array([hungarian.get(int(c), -1) for c in y_pred])
write("metrics.json", {
    "y_true": [int(v) for v in y_true], "y_pred": [int(v) for v in y_pred],
    "classes": 7, "clusters": 9,
    "ari": float(adjusted_rand_score(y_true, y_pred)),
    "nmi": float(normalized_mutual_info_score(y_true, y_pred)),
    "hungarian_map": [hungarian.get(c, -1) for c in range(9)],
    "hungarian_accuracy": float(np.mean(hungarian_pred == y_true)),
    "majority_map": [majority[c] for c in range(9)],
    "majority_accuracy": float(accuracy_score(y_true, mapped_majority)),
    "purity": float(contingency.max(axis=1).sum() / contingency.sum()),
    "confusion_majority": rows(confusion_matrix(y_true, mapped_majority, labels=range(7))),
    "precision_majority": [float(v) for v in precision_score(y_true, mapped_majority, labels=range(7), average=None, zero_division=0)],
    "recall_majority": [float(v) for v in recall_score(y_true, mapped_majority, labels=range(7), average=None, zero_division=0)],
})
# Silhouette in 40 dimensions (FERLab's product-based distances for many features), with its own
# generator so the fixtures above stay as they were.
wide_rng = np.random.default_rng(20132)
wide_centres = wide_rng.normal(scale=1.5, size=(4, 40))
wide = np.vstack([c + wide_rng.normal(size=(90, 40)) for c in wide_centres]) + 3
wide_labels = KMeans(n_clusters=4, n_init=10, random_state=0).fit_predict(wide)
wide_cases = []
for name, labels in (("kmeans", wide_labels), ("random", wide_rng.integers(0, 5, size=len(wide)))):
    wide_cases.append({"name": name, "labels": [int(v) for v in labels],
                       "score": float(silhouette_score(wide, labels)),
                       "samples": [float(v) for v in silhouette_samples(wide, labels)]})
write("silhouette_wide.json", {"x": rows(wide), "cases": wide_cases})
print("fixtures written to", os.path.normpath(OUT))

#!/usr/bin/env python3
"""Computes scikit-learn's clusterers on small fixed inputs, once.

Writes under Tests/FERMathTests/Fixtures: gaussian_mixture.json, the inputs
and GaussianMixture's fits (k-means++ starts, full and diagonal
covariances); ward.json, AgglomerativeClustering's Ward labels and merge
heights. FERLab's tests compare its own with them without running Python. Rerun only
to change the fixtures, with the pinned versions:

    python3 -m venv /tmp/ferlab-ref && /tmp/ferlab-ref/bin/pip install -r Scripts/reference/requirements.txt
    /tmp/ferlab-ref/bin/python Scripts/reference/make_clustering_fixtures.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn.cluster import AgglomerativeClustering
from sklearn.mixture import GaussianMixture

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "FERMathTests", "Fixtures")
rng = np.random.default_rng(29)


def rows(matrix):
    return [[float(v) for v in row] for row in np.asarray(matrix)]


def blobs(counts, dimension):
    """Groups of rows around separated centres, each with its own correlated spread."""
    parts = []
    for index, count in enumerate(counts):
        centre = rng.normal(size=dimension) * 4
        mixing = rng.normal(size=(dimension, dimension)) * (0.3 + 0.3 * index)
        parts.append(centre + rng.normal(size=(count, dimension)) @ mixing)
    return np.vstack(parts)


X = blobs([50, 40, 30], 4)
X_new = blobs([5, 5, 5], 4)
fits = []
for covariance in ["full", "diag"]:
    model = GaussianMixture(
        n_components=3, covariance_type=covariance, init_params="k-means++", n_init=1, tol=1e-8,
        max_iter=1000, reg_covar=1e-6, random_state=0).fit(X)
    fits.append({
        "covariance": covariance,
        "labels": [int(v) for v in model.predict(X)],
        "weights": [float(v) for v in model.weights_],
        "means": rows(model.means_),
        "score": float(model.score(X)),
        "bic": float(model.bic(X)),
        "probabilities_new": rows(model.predict_proba(X_new)),
        "score_new": float(model.score(X_new)),
    })

with open(os.path.join(OUT, "gaussian_mixture.json"), "w") as out:
    json.dump({
        "x": rows(X), "x_new": rows(X_new), "components": 3, "tolerance": 1e-8, "max_iterations": 1000,
        "fits": fits, "generator": f"scikit-learn {sklearn.__version__}, numpy {np.__version__}",
    }, out, indent=None, separators=(",", ":"))
    out.write("\n")

# Ward: blobs with less separation, so that cutting the tree at other counts splits groups too.
W = blobs([40, 35, 25, 20], 5)
cuts = {}
for k in [2, 4, 7]:
    cuts[str(k)] = [int(v) for v in AgglomerativeClustering(n_clusters=k, linkage="ward").fit(W).labels_]
tree = AgglomerativeClustering(n_clusters=1, linkage="ward", compute_distances=True).fit(W)
with open(os.path.join(OUT, "ward.json"), "w") as out:
    json.dump({
        "x": rows(W), "labels": cuts, "heights": [float(v) for v in tree.distances_],
        "children": [[int(a), int(b)] for a, b in tree.children_],
        "generator": f"scikit-learn {sklearn.__version__}, numpy {np.__version__}",
    }, out, indent=None, separators=(",", ":"))
    out.write("\n")

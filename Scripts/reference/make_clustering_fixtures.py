#!/usr/bin/env python3
"""Computes scikit-learn's clusterers on small fixed inputs, once.

Writes Tests/FERMathTests/Fixtures/gaussian_mixture.json: the inputs and
GaussianMixture's fits (k-means++ starts, full and diagonal covariances),
which FERLab's tests compare with its own without running Python. Rerun only
to change the fixtures, with the pinned versions:

    python3 -m venv /tmp/ferlab-ref && /tmp/ferlab-ref/bin/pip install -r Scripts/reference/requirements.txt
    /tmp/ferlab-ref/bin/python Scripts/reference/make_clustering_fixtures.py
"""
import json
import os

import numpy as np
import sklearn
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

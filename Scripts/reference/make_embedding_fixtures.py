#!/usr/bin/env python3
"""Computes scikit-learn's t-SNE and trustworthiness on small fixed inputs, once.

Writes Tests/FERMathTests/Fixtures/tsne.json: overlapping groups of points;
the joint probabilities scikit-learn's TSNE fits to a few of them (exact,
and over nearest neighbours as Barnes-Hut does); trustworthiness of a fixed
projection; and the trustworthiness of scikit-learn's own t-SNE of all of
them, exact and Barnes-Hut. FERLab's t-SNE differs in its coordinates (its
random start is its own), so its tests compare trustworthiness, within
0.02. Rerun only to change the fixture, with the pinned versions:

    python3 -m venv /tmp/ferlab-ref && /tmp/ferlab-ref/bin/pip install -r Scripts/reference/requirements.txt
    /tmp/ferlab-ref/bin/python Scripts/reference/make_embedding_fixtures.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn.manifold import TSNE, trustworthiness
from sklearn.manifold._t_sne import _joint_probabilities, _joint_probabilities_nn
from sklearn.metrics import pairwise_distances
from sklearn.neighbors import NearestNeighbors

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "FERMathTests", "Fixtures")
rng = np.random.default_rng(31)


def rows(matrix):
    return [[float(v) for v in row] for row in np.asarray(matrix)]


# Eight groups in ten dimensions, close enough that a plane cannot keep every neighbourhood.
centres = rng.normal(size=(8, 10)) * 1.2
X = np.vstack([centre + rng.normal(size=(75, 10)) for centre in centres])
X = X[rng.permutation(len(X))]

# Joint probabilities of the first 60 points, perplexity 10.
small, perplexity = X[:60], 10.0
distances = pairwise_distances(small, squared=True)
exact = _joint_probabilities(distances, perplexity, 0)
exact_matrix = np.zeros((60, 60))
exact_matrix[np.triu_indices(60, 1)] = exact
exact_matrix = exact_matrix + exact_matrix.T
k = min(59, int(3 * perplexity + 1))
graph = NearestNeighbors(n_neighbors=k).fit(small).kneighbors_graph(mode="distance")
graph.data **= 2
nearest = _joint_probabilities_nn(graph, perplexity, 0).toarray()

projection = X[:, :2]
fits = {}
for method in ["exact", "barnes_hut"]:
    embedded = TSNE(
        n_components=2, perplexity=30, init="random", learning_rate="auto", max_iter=1000, method=method,
        random_state=0).fit_transform(X)
    fits[method] = {str(n): float(trustworthiness(X, embedded, n_neighbors=n)) for n in [5, 10]}

with open(os.path.join(OUT, "tsne.json"), "w") as out:
    json.dump({
        "x": rows(X), "perplexity": 30,
        "small_perplexity": perplexity, "small_exact": rows(exact_matrix), "small_nearest": rows(nearest),
        "projection_trustworthiness": {str(n): float(trustworthiness(X, projection, n_neighbors=n)) for n in [5, 10]},
        "tsne_trustworthiness": fits,
        "generator": f"scikit-learn {sklearn.__version__}, numpy {np.__version__}",
    }, out, indent=None, separators=(",", ":"))
    out.write("\n")

#!/usr/bin/env python3
"""Computes scikit-image's HOG and LBP, and scikit-learn's logistic regression,
on small fixed inputs, once; written with the inputs to
Tests/FERFeaturesTests/Fixtures so FERLab's tests never run Python.

    python3 -m venv /tmp/ferlab-ref && /tmp/ferlab-ref/bin/pip install -r Scripts/reference/requirements.txt
    /tmp/ferlab-ref/bin/python Scripts/reference/make_feature_fixtures.py
"""
import json
import os

import numpy as np
import skimage
import sklearn
from skimage.feature import hog, local_binary_pattern
from sklearn.linear_model import LogisticRegression

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "FERFeaturesTests", "Fixtures")
rng = np.random.default_rng(48)

# Three 48x48 images: smooth structure plus noise, so gradients take every orientation.
yy, xx = np.mgrid[0:48, 0:48]
images = []
for k in range(3):
    base = 128 + 60 * np.sin((xx * (k + 1) + yy * 2) / 7.0) + 40 * np.cos(yy / (3.0 + k))
    images.append(np.clip(base + rng.normal(scale=12, size=(48, 48)), 0, 255).astype(np.uint8))

hog_cases = []
for cell, block, orientations, norm in ((6, 2, 9, "L2-Hys"), (8, 2, 9, "L2-Hys"), (8, 3, 12, "L2-Hys"),
                                         (6, 2, 9, "L1"), (6, 2, 9, "L1-sqrt"), (6, 2, 9, "L2")):
    hog_cases.append({
        "cell": cell, "block": block, "orientations": orientations, "norm": norm.lower(),
        "features": [[float(v) for v in hog(im, orientations=orientations, pixels_per_cell=(cell, cell),
                                             cells_per_block=(block, block), block_norm=norm)] for im in images],
    })

lbp_codes = [[int(v) for v in local_binary_pattern(im, 8, 1, "uniform").astype(int).ravel()] for im in images]

# Multinomial logistic regression on three Gaussian classes in four dimensions.
centres = rng.normal(scale=2.0, size=(3, 4))
x = np.vstack([c + rng.normal(size=(60, 4)) for c in centres])
y = np.repeat(np.arange(3), 60)
model = LogisticRegression(C=1.0, max_iter=1000, tol=1e-10).fit(x, y)

with open(os.path.join(OUT, "features.json"), "w") as out:
    json.dump({
        "generator": f"scikit-image {skimage.__version__}, scikit-learn {sklearn.__version__}, numpy {np.__version__}",
        "images": [[int(v) for v in im.ravel()] for im in images],
        "hog": hog_cases,
        "lbp_uniform_p8_r1": lbp_codes,
        "logistic": {
            "x": [[float(v) for v in row] for row in x], "y": [int(v) for v in y], "c": 1.0,
            "coef": [[float(v) for v in row] for row in model.coef_],
            "intercept": [float(v) for v in model.intercept_],
            "probabilities_first_rows": [[float(v) for v in row] for row in model.predict_proba(x[:5])],
            "predictions": [int(v) for v in model.predict(x)],
        },
    }, out, separators=(",", ":"))
    out.write("\n")
print("fixtures written to", os.path.normpath(OUT))

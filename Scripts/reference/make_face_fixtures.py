#!/usr/bin/env python3
"""Computes the face-shape alignment and the lighting normalisation FERLab's
features use, with NumPy, SciPy and scikit-image, on small fixed inputs,
once; written with the inputs to Tests/FERFeaturesTests/Fixtures/faces.json
so FERLab's tests never run Python.

- Generalised Procrustes: every shape centred and scaled to unit size (the
  root of its summed squared coordinates), the mean started at the first
  shape and refined 5 times (align every shape onto it with SciPy's
  orthogonal Procrustes rotation, average, centre and rescale); held-out
  shapes normalised and rotated onto the fitted mean.
- The similarity warp: scikit-image's SimilarityTransform estimated from the
  eye and mouth centres of 68 landmarks to fixed places, and the image warped
  with skimage.transform.warp (bilinear, edge pixels repeated).
- Lighting: skimage.exposure.equalize_hist of an 8-bit image, and Tan and
  Triggs' chain (gamma 0.2; SciPy Gaussian filters with sigmas 1 and 2,
  subtracted; contrast equalisation with alpha 0.1 and tau 10; tau * tanh).

    python3 -m venv /tmp/ferlab-ref && /tmp/ferlab-ref/bin/pip install -r Scripts/reference/requirements.txt
    /tmp/ferlab-ref/bin/python Scripts/reference/make_face_fixtures.py
"""
import json
import os

import numpy as np
import scipy
import skimage
from scipy.linalg import orthogonal_procrustes
from scipy.ndimage import gaussian_filter
from skimage.exposure import equalize_hist
from skimage.transform import SimilarityTransform, warp

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "FERFeaturesTests", "Fixtures")
rng = np.random.default_rng(68)


def normalised(shape):
    centred = shape - shape.mean(axis=0)
    size = np.sqrt((centred ** 2).sum())
    return centred / size if size > 0 else np.zeros_like(shape)


def rotated(shape, reference):
    rotation, _ = orthogonal_procrustes(shape, reference)
    return shape @ rotation


def fit_mean(shapes, iterations=5):
    normal = [normalised(s) for s in shapes]
    reference = normal[0]
    for _ in range(iterations):
        reference = normalised(np.mean([rotated(s, reference) for s in normal], axis=0))
    return reference


# A base shape of 51 points, and noisy copies moved, scaled and turned by up to 0.4 rad.
base = rng.normal(size=(51, 2)) * [12, 9] + [24, 24]
shapes = []
for _ in range(8):
    angle = rng.uniform(-0.4, 0.4)
    turn = np.array([[np.cos(angle), np.sin(angle)], [-np.sin(angle), np.cos(angle)]])
    shapes.append((base + rng.normal(scale=0.8, size=base.shape)) @ turn * rng.uniform(0.7, 1.3)
                  + rng.uniform(-5, 5, size=2))
train, held_out = shapes[:6], shapes[6:]
mean = fit_mean(train)
aligned = [rotated(normalised(s), mean) for s in held_out]

# The similarity warp: a 48x48 image and 68 landmarks whose eye and mouth centres are known.
yy, xx = np.mgrid[0:48, 0:48]
image = np.clip(128 + 70 * np.sin(xx / 5.0) * np.cos(yy / 7.0) + rng.normal(scale=10, size=(48, 48)),
                0, 255).astype(np.uint8)
landmarks = rng.uniform(5, 43, size=(68, 2))
landmarks[36:42] = [15.3, 19.2] + rng.normal(scale=1.5, size=(6, 2))
landmarks[42:48] = [31.1, 17.8] + rng.normal(scale=1.5, size=(6, 2))
landmarks[48:68] = [24.6, 35.4] + rng.normal(scale=2.0, size=(20, 2))
source = np.array([landmarks[36:42].mean(axis=0), landmarks[42:48].mean(axis=0), landmarks[48:68].mean(axis=0)])
places = np.array([[0.32, 0.38], [0.68, 0.38], [0.5, 0.78]]) * [48, 48]
transform = SimilarityTransform.from_estimate(source, places)
assert transform
warped = warp(image.astype(float), transform.inverse, order=1, mode="edge", preserve_range=True)



def tan_triggs(image, gamma=0.2, sigma0=1.0, sigma1=2.0, alpha=0.1, tau=10.0):
    corrected = image.astype(float) ** gamma
    values = gaussian_filter(corrected, sigma0) - gaussian_filter(corrected, sigma1)
    values = values / np.mean(np.abs(values) ** alpha) ** (1 / alpha)
    values = values / np.mean(np.minimum(tau, np.abs(values)) ** alpha) ** (1 / alpha)
    return tau * np.tanh(values / tau)


# A darker, low-contrast 40x48 image lit from one side, so both methods have work to do.
dim = np.clip(40 + 0.8 * xx[:, :40] + 25 * np.sin(yy[:, :40] / 4.0) + rng.normal(scale=6, size=(48, 40)),
              0, 255).astype(np.uint8)

with open(os.path.join(OUT, "faces.json"), "w") as out:
    json.dump({
        "generator": f"numpy {np.__version__}, scipy {scipy.__version__}, scikit-image {skimage.__version__}",
        "procrustes": {
            "train": [[float(v) for v in s.ravel()] for s in train],
            "held_out": [[float(v) for v in s.ravel()] for s in held_out],
            "mean": [float(v) for v in mean.ravel()],
            "aligned": [[float(v) for v in s.ravel()] for s in aligned],
        },
        "similarity": {
            "image": [int(v) for v in image.ravel()],
            "landmarks": [float(v) for v in landmarks.ravel()],
            "matrix": [[float(v) for v in row] for row in transform.params],
            "warped": [float(v) for v in warped.ravel()],
        },
        "lighting": {
            "width": 40, "height": 48,
            "image": [int(v) for v in dim.ravel()],
            "equalized": [float(v) for v in equalize_hist(dim).ravel()],
            "tan_triggs": [float(v) for v in tan_triggs(dim).ravel()],
        },
    }, out, separators=(",", ":"))
    out.write("\n")
print("fixtures written to", os.path.normpath(OUT))

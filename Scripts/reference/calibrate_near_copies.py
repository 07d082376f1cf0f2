"""Calibrates the near-copy threshold of FERLab's split check.

FERLab compares each held-out image with every training image as 16x16
copies (area-shrunk, less their mean, unit length) and counts a pair whose
correlation reaches the threshold as a near-copy. This script measures, for
several thresholds, on FER2013-layout CSVs given as arguments (48x48 images,
a Usage column):

- how many of 2,000 training images are still found after a change that keeps
  the photo (exposure and contrast with noise, a 3x3 blur, a one-pixel shift);
- how many PrivateTest images have a training image at or above it (real
  near-copies plus distinct faces that happen to look alike).

Run: python3 Scripts/reference/calibrate_near_copies.py DATA.csv[.gz] ...
(NumPy only). The README's "Near-copies across the split" quotes its output.
"""

import csv
import gzip
import sys

import numpy as np

SIDE = 16
THRESHOLDS = (0.95, 0.96, 0.97, 0.98, 0.99)


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", newline="") as file:
        reader = csv.reader(file)
        header = [name.strip().lower() for name in next(reader)]
        pixels, usage = header.index("pixels"), header.index("usage")
        rows = list(reader)
    images = np.array([np.array(row[pixels].split(), dtype=np.uint8) for row in rows]).reshape(-1, 48, 48)
    return images, np.array([row[usage] for row in rows])


def small_copies(images):
    block = 48 // SIDE
    shrunk = images.reshape(-1, SIDE, block, SIDE, block).astype(np.float64).mean(axis=(2, 4))
    shrunk = np.floor(shrunk + 0.5).reshape(len(images), -1)
    shrunk -= shrunk.mean(axis=1, keepdims=True)
    norms = np.linalg.norm(shrunk, axis=1, keepdims=True)
    norms[norms == 0] = 1
    return (shrunk / norms).astype(np.float32)


def changed(images, random):
    faces = images.astype(np.float64)
    count = len(faces)
    relit = faces * random.uniform(0.7, 1.3, (count, 1, 1)) + random.uniform(-30, 30, (count, 1, 1))
    relit += random.normal(0, 4, faces.shape)
    padded = np.pad(faces, ((0, 0), (1, 1), (1, 1)), mode="edge")
    blurred = sum(padded[:, dy : dy + 48, dx : dx + 48] for dy in range(3) for dx in range(3)) / 9
    shifted = np.concatenate([faces[:, :, :1], faces[:, :, :-1]], axis=2)
    return {"relit and noisy": relit, "blurred 3x3": blurred, "shifted 1 px": shifted}


def main(paths):
    random = np.random.default_rng(0)
    print(f"{'data':<24}{'measure':<34}" + "".join(f"{t:>8}" for t in THRESHOLDS))
    for path in paths:
        images, usage = load(path)
        train, test = np.where(usage == "Training")[0], np.where(usage == "PrivateTest")[0]
        copies = small_copies(images)
        name = path.split("/")[-1]
        chosen = random.choice(train, min(2000, len(train)), replace=False)
        for change, result in changed(images[chosen], random).items():
            similarity = (small_copies(np.clip(result, 0, 255).round().astype(np.uint8)) * copies[chosen]).sum(axis=1)
            shares = [f"{(similarity >= t).mean():8.1%}" for t in THRESHOLDS]
            print(f"{name:<24}{'found after ' + change:<34}" + "".join(shares))
        best = (copies[test] @ copies[train].T).max(axis=1)
        counts = [f"{int((best >= t).sum()):8d}" for t in THRESHOLDS]
        print(f"{name:<24}{f'PrivateTest at or above (of {len(test)})':<34}" + "".join(counts))


if __name__ == "__main__":
    main(sys.argv[1:])

"""A small embedding for `models.features: command`, with NumPy only.

FERLab runs it as `python3 Scripts/examples/embed.py IMAGES OUTPUT`: IMAGES is
a .npy of uint8 images (count x height x width, in the dataset's order), and
OUTPUT the .npy it must write, one float32 row per image. This one describes
each image by the mean brightness of an 8 x 8 grid of blocks and the strength
of its horizontal and vertical edges in a 4 x 4 grid, each image scaled to
zero mean and unit spread first: 96 numbers per image. Replace it with a call
to any model (a pretrained network, say) that maps an image to a vector.

Run in the config's experiment like:
    models: {features: command, components: 20}
    features: {command: [python3, Scripts/examples/embed.py]}
"""
import sys

import numpy as np


def blocks(values, grid):
    """Mean of each cell of a grid x grid split of every image (the last rows and columns may be left out)."""
    count, height, width = values.shape
    h, w = height // grid, width // grid
    cut = values[:, : h * grid, : w * grid].reshape(count, grid, h, grid, w)
    return cut.mean(axis=(2, 4)).reshape(count, grid * grid)


def embed(images):
    values = images.astype(np.float32)
    values -= values.mean(axis=(1, 2), keepdims=True)
    values /= values.std(axis=(1, 2), keepdims=True) + 1e-6
    across = np.abs(np.diff(values, axis=2))[:, :-1, :]
    down = np.abs(np.diff(values, axis=1))[:, :, :-1]
    return np.hstack([blocks(values, 8), blocks(across, 4), blocks(down, 4)]).astype(np.float32)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: embed.py IMAGES.npy OUTPUT.npy")
    images = np.load(sys.argv[1])
    if images.ndim != 3 or images.dtype != np.uint8:
        sys.exit(f"expected uint8 images of shape (count, height, width), not {images.dtype} {images.shape}")
    print(f"embedding {len(images)} images of {images.shape[2]} x {images.shape[1]}", file=sys.stderr)
    np.save(sys.argv[2], embed(images))


if __name__ == "__main__":
    main()

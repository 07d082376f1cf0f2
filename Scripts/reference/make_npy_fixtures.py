"""Writes the .npy files FERLab's NumPy reader is tested on, with NumPy itself.

Run from the repository root: python Scripts/reference/make_npy_fixtures.py
"""
import numpy as np

out = "Tests/FERDataTests/Fixtures/npy/"
table = np.array([[0.5, -1.25], [3.0, 4.75], [1e-3, 2e5]])
np.save(out + "table-f4.npy", table.astype("<f4"))
np.save(out + "table-f8-fortran.npy", np.asfortranarray(table.astype("<f8")))
np.save(out + "table-i8.npy", table.astype("<i8"))
np.save(out + "images-u1.npy", np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4))

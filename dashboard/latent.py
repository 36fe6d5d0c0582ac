"""The VAE's 2-D latent space: grids for the manifold and the explorer's range.

A chosen point is decoded in the browser by `dashboard.explorer`. The manifold,
225 points at once, goes through Keras on the server.
"""

from statistics import NormalDist

import numpy as np

GRID_RANGES = {
    "normal": "Normal quantiles, 5% to 95% (default)",
    "post": "-15 to 15, as in the post",
}
PICK_LIMIT = 4.0  # the sliders and the map span at least [-4, 4]


def grid_values(n=15, mode="normal"):
    """Coordinates along one axis of the manifold, smallest first."""
    if mode == "normal":
        quantiles = np.linspace(0.05, 0.95, n)
        return np.array([NormalDist().inv_cdf(q) for q in quantiles], np.float32)
    if mode == "post":
        return np.linspace(-15.0, 15.0, n, dtype=np.float32)
    raise ValueError(f"mode must be one of {tuple(GRID_RANGES)}, received {mode!r}.")


def manifold(decoder, values):
    """Decoded digits on the grid `values` x `values`, as (n, n, 28, 28).

    Rows run from the largest z[1] at the top to the smallest at the bottom,
    columns from the smallest z[0] to the largest, as on the map.
    """
    z1, z2 = np.meshgrid(values, values[::-1])
    z = np.stack([z1.ravel(), z2.ravel()], axis=1)
    digits = np.asarray(decoder(z, training=False))
    return digits.reshape(len(values), len(values), 28, 28)


def pick_limit(extent, codes=None):
    """How far the sliders and the map reach.

    At least `PICK_LIMIT`, the manifold's `extent` and, rounded up, the
    farthest of `codes` from the origin along either axis.
    """
    farthest = 0.0 if codes is None else float(np.ceil(np.abs(codes).max()))
    return max(PICK_LIMIT, float(extent), farthest)

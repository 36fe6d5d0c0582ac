"""Scores for reconstructions and codes, and a PCA baseline to compare against.

Everything here takes and returns NumPy arrays or plain numbers: images are
float arrays of shape (n, 28, 28) in [0, 1], codes are arrays of shape
(n, *code_shape). Models stay outside, so the same functions score an
autoencoder, a PCA baseline or a noisy copy alike.
"""

import math
from dataclasses import dataclass

import numpy as np
from sklearn.decomposition import PCA

IMAGE_SIZE = 28 * 28
EPSILON = 1e-7


@dataclass(frozen=True)
class Scores:
    """Mean reconstruction errors over a set of images."""

    binary_crossentropy: float
    mean_squared_error: float
    psnr: float


def reconstruction_scores(x, x_hat):
    """Mean binary cross-entropy, mean squared error and PSNR of `x_hat` against `x`.

    Args:
        x: reference images, (n, 28, 28) in [0, 1].
        x_hat: reconstructions of the same shape.

    Returns:
        A `Scores`, each a mean over every pixel of every image.
    """
    mse = mean_squared_error(x, x_hat)
    return Scores(
        binary_crossentropy=binary_crossentropy(x, x_hat),
        mean_squared_error=mse,
        psnr=_psnr_from_mse(mse, data_range=1.0),
    )


def binary_crossentropy(x, x_hat):
    """Mean per-pixel binary cross-entropy, with `x_hat` clipped away from 0 and 1."""
    x, x_hat = _checked_pair(x, x_hat)
    x_hat = np.clip(x_hat, EPSILON, 1.0 - EPSILON)
    losses = -(x * np.log(x_hat) + (1.0 - x) * np.log(1.0 - x_hat))
    return float(losses.mean(dtype=np.float64))


def mean_squared_error(x, x_hat):
    """Mean per-pixel squared error."""
    x, x_hat = _checked_pair(x, x_hat)
    return float(np.mean((x - x_hat) ** 2, dtype=np.float64))


def psnr(x, x_hat, data_range=1.0):
    """Peak signal-to-noise ratio in decibels, from the mean squared error of the set.

    Args:
        x: reference images.
        x_hat: images to score against `x`, same shape.
        data_range: distance between the darkest and brightest pixel value.
            Defaults to 1.0.

    Returns:
        A float; `math.inf` when the images are identical.
    """
    return _psnr_from_mse(mean_squared_error(x, x_hat), data_range)


def compression_factor(code_shape):
    """How many pixels of a 28x28 image each code value stands for."""
    size = int(np.prod(code_shape))
    if size <= 0:
        raise ValueError(
            f"code_shape must have a positive size, received {code_shape}."
        )
    return IMAGE_SIZE / size


def code_activity(codes, threshold=1e-3):
    """Mean code activation and the fraction of silent units.

    A unit is one value of the code; it is silent when its activation stays at
    or below `threshold` for every sample.

    Args:
        codes: array (n, *code_shape), n >= 1.
        threshold: activation at or below which a unit counts as off.
            Defaults to 1e-3.

    Returns:
        `(mean_activation, silent_fraction)` as floats.
    """
    codes = np.asarray(codes, dtype=np.float64)
    if codes.ndim < 2 or len(codes) == 0:
        raise ValueError(
            f"codes must be an array (n, *code_shape) with n >= 1, received shape "
            f"{codes.shape}."
        )
    units = codes.reshape(len(codes), -1)
    silent = np.all(units <= threshold, axis=0)
    return float(units.mean()), float(silent.mean())


def fit_pca(x, n_components, max_samples=10_000, seed=0):
    """Fits a PCA with `n_components` to images, the linear baseline for a code size.

    Args:
        x: training images (n, 28, 28).
        n_components: size of the code to match, 1 to 784.
        max_samples: fit on at most this many images, drawn with `seed`.
            Defaults to 10,000, plenty for 784 pixels and about a second on a
            laptop.
        seed: seed for the draw and for the randomized solver. Defaults to 0.

    Returns:
        A fitted `sklearn.decomposition.PCA`.
    """
    x = np.asarray(x, dtype=np.float32)
    if not 1 <= n_components <= min(len(x), IMAGE_SIZE):
        raise ValueError(
            f"n_components must be between 1 and min(n_samples, {IMAGE_SIZE}) = "
            f"{min(len(x), IMAGE_SIZE)}, received {n_components}."
        )
    if len(x) > max_samples:
        rows = np.random.default_rng(seed).choice(len(x), max_samples, replace=False)
        x = x[np.sort(rows)]
    pca = PCA(n_components=n_components, svd_solver="randomized", random_state=seed)
    return pca.fit(x.reshape(len(x), -1))


def pca_reconstruct(pca, x):
    """Projects images onto a fitted PCA and back, clipped to [0, 1]."""
    x = np.asarray(x, dtype=np.float32)
    flat = pca.inverse_transform(pca.transform(x.reshape(len(x), -1)))
    return np.clip(flat, 0.0, 1.0).reshape(x.shape).astype(np.float32)


def _psnr_from_mse(mse, data_range):
    if mse == 0.0:
        return math.inf
    return float(10.0 * math.log10(data_range**2 / mse))


def _checked_pair(x, x_hat):
    x = np.asarray(x, dtype=np.float32)
    x_hat = np.asarray(x_hat, dtype=np.float32)
    if x.shape != x_hat.shape or x.size == 0:
        raise ValueError(
            "x and x_hat must be non-empty arrays of the same shape, received "
            f"{x.shape} and {x_hat.shape}."
        )
    return x, x_hat

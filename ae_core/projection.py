"""2-D maps of codes: t-SNE or PCA from scikit-learn, seeded.

Codes of any shape (n, *code_shape) are flattened to (n, d) first. t-SNE
needs a perplexity below the number of points; `project` lowers the one asked
for when the sample is too small, so a map of 20 points still works.
"""

import logging
import time

import numpy as np
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE

logger = logging.getLogger(__name__)

METHODS = ("tsne", "pca")
MIN_MAX_ITER = 250  # scikit-learn's lower bound for t-SNE's max_iter


def project(codes, method="tsne", perplexity=30.0, max_iter=1000, seed=0):
    """Maps codes to 2-D coordinates.

    Args:
        codes: array (n, *code_shape) with n >= 3.
        method: "tsne" or "pca". Defaults to "tsne".
        perplexity: t-SNE's perplexity, lowered to `valid_perplexity(n, ...)`
            for small samples. Defaults to 30.0.
        max_iter: t-SNE's iterations, at least 250. Defaults to 1000.
        seed: seed for t-SNE and for PCA's solver. Defaults to 0.

    Returns:
        float32 array (n, 2).

    Note:
        t-SNE takes time that grows a little faster than n: about 10 seconds
        for 2,000 points on a 2-core laptop CPU. PCA takes milliseconds.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, received {method!r}.")
    flat = _flattened(codes)
    if method == "pca":
        return _pca(flat, seed)
    if max_iter < MIN_MAX_ITER:
        raise ValueError(
            f"max_iter must be at least {MIN_MAX_ITER} for t-SNE, received {max_iter}."
        )
    return _tsne(flat, valid_perplexity(len(flat), perplexity), max_iter, seed)


def valid_perplexity(n_samples, perplexity=30.0):
    """The perplexity to use for `n_samples` points: at most (n_samples - 1) / 3.

    scikit-learn requires perplexity < n_samples; a third keeps each point's
    neighbourhood well inside the sample. The result is never below 1.
    """
    if perplexity <= 0:
        raise ValueError(f"perplexity must be positive, received {perplexity}.")
    return float(max(1.0, min(perplexity, (n_samples - 1) / 3)))


def _tsne(flat, perplexity, max_iter, seed):
    start = time.perf_counter()
    tsne = TSNE(
        n_components=2,
        perplexity=perplexity,
        max_iter=max_iter,
        init="pca",
        learning_rate="auto",
        random_state=seed,
    )
    coords = tsne.fit_transform(flat)
    logger.info(
        "[t-SNE] %d points, perplexity %.1f, %d iterations in %.1f s",
        len(flat),
        perplexity,
        max_iter,
        time.perf_counter() - start,
    )
    return coords.astype(np.float32)


def _pca(flat, seed):
    if flat.shape[1] < 2:  # a 1-D code: its map is a line
        flat = np.hstack([flat, np.zeros_like(flat)])
    coords = PCA(n_components=2, random_state=seed).fit_transform(flat)
    return coords.astype(np.float32)


def _flattened(codes):
    codes = np.asarray(codes, dtype=np.float32)
    if codes.ndim < 2 or len(codes) < 3:
        raise ValueError(
            "codes must be an array (n, *code_shape) with at least 3 points, "
            f"received shape {codes.shape}."
        )
    flat = codes.reshape(len(codes), -1)
    if not np.isfinite(flat).all():
        raise ValueError("codes contain NaN or infinite values; cannot project them.")
    return flat

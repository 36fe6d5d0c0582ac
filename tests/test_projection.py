"""2-D projections of codes: shapes, seeding, and perplexity for small samples."""

import os
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from ae_core import projection


@pytest.fixture
def codes():
    rng = np.random.default_rng(0)
    centres = rng.normal(0, 5, size=(3, 16))
    labels = np.repeat(np.arange(3), 20)
    return (centres[labels] + rng.normal(size=(60, 16))).astype(np.float32), labels


@pytest.mark.parametrize("method", projection.METHODS)
def test_projection_shape_and_seed(codes, method):
    x, _ = codes
    first = projection.project(x, method=method, max_iter=250, seed=3)
    again = projection.project(x, method=method, max_iter=250, seed=3)

    assert first.shape == (60, 2)
    assert first.dtype == np.float32
    np.testing.assert_allclose(first, again)


def test_tsne_keeps_clusters_apart(codes):
    x, labels = codes
    coords = projection.project(x, method="tsne", max_iter=250)

    centres = np.stack([coords[labels == k].mean(axis=0) for k in range(3)])
    spread = max(coords[labels == k].std(axis=0).max() for k in range(3))
    gaps = [
        np.linalg.norm(centres[i] - centres[j]) for i, j in ((0, 1), (0, 2), (1, 2))
    ]
    assert min(gaps) > 2 * spread


@pytest.mark.parametrize(
    "n_samples, asked, expected", [(2000, 30, 30), (31, 30, 10), (4, 30, 1), (2, 5, 1)]
)
def test_valid_perplexity(n_samples, asked, expected):
    assert projection.valid_perplexity(n_samples, asked) == expected


def test_tsne_on_fewer_points_than_the_default_perplexity(codes):
    coords = projection.project(codes[0][:12], method="tsne", max_iter=250)
    assert np.isfinite(coords).all()


def test_conv_codes_are_flattened():
    codes = np.random.default_rng(0).random((10, 4, 4, 8))
    assert projection.project(codes, method="pca").shape == (10, 2)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"method": "umap"}, "method must be one of"),
        ({"max_iter": 100}, "max_iter must be at least 250"),
        ({"perplexity": 0}, "perplexity must be positive"),
    ],
)
def test_invalid_arguments(codes, kwargs, message):
    with pytest.raises(ValueError, match=message):
        projection.project(codes[0], **kwargs)


def test_too_few_points():
    with pytest.raises(ValueError, match=r"at least 3 points, received shape \(2, 4\)"):
        projection.project(np.zeros((2, 4)))


def test_non_finite_codes():
    codes = np.ones((5, 4))
    codes[1, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        projection.project(codes, method="pca")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice")
def test_the_dashboards_tsne_runs_on_few_threads_at_low_priority(monkeypatch):
    from threadpoolctl import threadpool_info

    from dashboard import projections

    def report(codes, method, seed):
        tid = threading.get_native_id()
        stat = Path(f"/proc/self/task/{tid}/stat").read_text()
        openmp = [
            p["num_threads"] for p in threadpool_info() if p["user_api"] == "openmp"
        ]
        return int(stat.rsplit(")", 1)[1].split()[16]), openmp

    monkeypatch.setattr(projections.projection, "project", report)
    store = projections._MapStore()
    niceness, openmp = store.future("key", np.zeros((5, 2)), "tsne").result()
    assert niceness == projections.JOB_NICENESS
    assert openmp and all(n == projections.TSNE_THREADS for n in openmp)
    assert os.getpriority(os.PRIO_PROCESS, 0) < niceness  # the server's own thread

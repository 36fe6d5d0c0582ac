"""Reconstruction scores, code activity and the PCA baseline on known arrays."""

import math

import numpy as np
import pytest

from ae_core import metrics


@pytest.fixture
def images():
    return np.random.default_rng(0).random((20, 28, 28)).astype(np.float32)


def test_perfect_reconstruction_scores(images):
    binary = (images > 0.5).astype(np.float32)
    scores = metrics.reconstruction_scores(binary, binary)

    assert scores.mean_squared_error == 0.0
    assert scores.psnr == math.inf
    assert scores.binary_crossentropy == pytest.approx(0.0, abs=1e-5)


def test_scores_of_a_constant_guess():
    x = np.zeros((2, 28, 28), dtype=np.float32)
    x[0] = 1.0
    guess = np.full_like(x, 0.5)

    scores = metrics.reconstruction_scores(x, guess)

    assert scores.mean_squared_error == pytest.approx(0.25)
    assert scores.binary_crossentropy == pytest.approx(math.log(2), rel=1e-5)
    assert scores.psnr == pytest.approx(10 * math.log10(4), rel=1e-6)


def test_binary_crossentropy_survives_saturated_outputs():
    x = np.ones((1, 28, 28), dtype=np.float32)
    assert math.isfinite(metrics.binary_crossentropy(x, np.zeros_like(x)))


@pytest.mark.parametrize("data_range, expected", [(1.0, 20.0), (2.0, 26.0206)])
def test_psnr_uses_the_data_range(data_range, expected):
    x = np.zeros((1, 28, 28), dtype=np.float32)
    assert metrics.psnr(x, x + 0.1, data_range) == pytest.approx(expected, rel=1e-4)


def test_mismatched_shapes_are_refused(images):
    with pytest.raises(ValueError, match=r"same shape, received \(20, 28, 28\)"):
        metrics.reconstruction_scores(images, images[:10])


@pytest.mark.parametrize(
    "code_shape, expected", [((32,), 24.5), ((4, 4, 8), 6.125), ((2,), 392.0)]
)
def test_compression_factor(code_shape, expected):
    assert metrics.compression_factor(code_shape) == expected


def test_code_activity_counts_units_silent_on_every_sample():
    codes = np.zeros((4, 8), dtype=np.float32)
    codes[:, :2] = 2.0
    codes[0, 2] = 1.0  # on for a single sample: not silent

    mean_activation, silent_fraction = metrics.code_activity(codes)

    assert mean_activation == pytest.approx((4 * 2 * 2.0 + 1.0) / 32)
    assert silent_fraction == pytest.approx(5 / 8)


def test_code_activity_flattens_conv_codes():
    codes = np.ones((3, 4, 4, 8), dtype=np.float32)
    codes[..., 0] = 0.0
    assert metrics.code_activity(codes) == (pytest.approx(7 / 8), 1 / 8)


def test_code_activity_refuses_an_empty_set():
    with pytest.raises(ValueError, match="n >= 1"):
        metrics.code_activity(np.zeros((0, 32)))


def test_pca_with_full_rank_reconstructs_exactly():
    rng = np.random.default_rng(1)
    basis = rng.random((3, 28 * 28)).astype(np.float32) / 3
    x = (rng.random((50, 3)).astype(np.float32) @ basis).reshape(50, 28, 28)

    pca = metrics.fit_pca(x, n_components=3)
    rebuilt = metrics.pca_reconstruct(pca, x)

    assert rebuilt.shape == x.shape
    assert np.abs(rebuilt - x).max() < 1e-4


def test_pca_baseline_improves_with_code_size(images):
    errors = [
        metrics.mean_squared_error(
            images, metrics.pca_reconstruct(metrics.fit_pca(images, k), images)
        )
        for k in (2, 10)
    ]
    assert errors[1] < errors[0]


def test_pca_subsamples_large_sets(images):
    pca = metrics.fit_pca(images, n_components=2, max_samples=5)
    assert pca.n_samples_ == 5


def test_pca_refuses_more_components_than_samples(images):
    with pytest.raises(ValueError, match=r"n_components must be between 1 and .* 20"):
        metrics.fit_pca(images, n_components=21)

"""The models shipped in assets/pretrained/ are real, trained and loadable."""

import numpy as np
import pytest

import ae_core
from ae_core import metrics


@pytest.fixture(scope="module")
def test_images():
    return ae_core.load_sample().x_test[:500]


@pytest.mark.parametrize("kind", ae_core.KINDS)
def test_pretrained_model_beats_the_mean_image(kind, test_images):
    run = ae_core.load_run(ae_core.PRETRAINED_DIR / kind)
    assert run.spec.kind == kind and run.spec.train_size is None
    assert len(run.history["epochs"]) == run.spec.epochs

    inputs = test_images
    if kind == "denoising":
        inputs = ae_core.add_noise(test_images, run.spec.noise_factor, seed=5)
    mse = metrics.mean_squared_error(
        test_images, ae_core.reconstruct(run.model, inputs)
    )
    mean_image = np.broadcast_to(test_images.mean(axis=0), test_images.shape)
    baseline = metrics.mean_squared_error(test_images, mean_image)
    # A 2-D code keeps far less than the others: blurry, but still well ahead.
    assert mse < (0.75 if kind == "vae" else 0.5) * baseline, (mse, baseline)


def test_lstm_reconstructions_vary_with_the_input(test_images):
    model = ae_core.load_run(ae_core.PRETRAINED_DIR / "lstm").model
    outputs = ae_core.reconstruct(model, test_images[:50])
    assert outputs.std(axis=0).mean() > 0.1

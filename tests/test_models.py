"""Every kind builds, has the right shapes, trains, and survives a save and load."""

import numpy as np
import pytest

import ae_core
from ae_core import models
from ae_core.runs import load_model

CODE_SHAPES = {
    "simple": (32,), "sparse": (32,), "deep": (32,), "conv": (4, 4, 8),
    "denoising": (7, 7, 32), "lstm": (64,), "vae": (2,),
}  # fmt: skip


@pytest.fixture(scope="module")
def images():
    return ae_core.load_sample().x_test[:48]


@pytest.mark.parametrize("kind", ae_core.KINDS)
def test_shapes_and_composition(kind, images):
    model = models.build(kind)
    assert models.code_shape(model) == CODE_SHAPES[kind]
    codes = models.encode(model, images)
    assert codes.shape == (len(images), *CODE_SHAPES[kind])
    direct = models.reconstruct(model, images)
    assert direct.shape == images.shape
    chained = models.decode(model, codes)
    assert np.abs(chained - direct).max() <= 1e-5


@pytest.mark.parametrize("kind", ae_core.KINDS)
def test_train_one_epoch_and_round_trip(kind, images, tmp_path):
    sample = ae_core.load_sample()
    spec = ae_core.TrainSpec(kind, epochs=1, train_size=64, batch_size=32)
    result = ae_core.train(spec, tmp_path, dataset=sample)
    assert result.outcome == "done"
    assert np.isfinite(result.epochs[0]["val_loss"])

    run = ae_core.load_run(tmp_path)
    assert run.spec.kind == kind and len(run.history["epochs"]) == 1
    before = models.reconstruct(result.model, images)
    after = models.reconstruct(run.model, images)
    np.testing.assert_allclose(after, before, atol=1e-6)


def test_no_lambda_layers_anywhere():
    for kind in ae_core.KINDS:
        model = models.build(kind)
        names = {type(layer).__name__ for layer in _all_layers(model)}
        assert "Lambda" not in names, kind


def test_channels_last_whatever_the_config():
    import keras

    keras.config.set_image_data_format("channels_first")
    try:
        conv = models.build("conv")
    finally:
        keras.config.set_image_data_format("channels_last")
    assert models.code_shape(conv) == (4, 4, 8)
    assert models.reconstruct(conv, np.zeros((2, 28, 28), np.float32)).shape == (
        2, 28, 28,
    )  # fmt: skip


def test_sparse_has_l1_on_the_code_only():
    sparse = models.encoder_of(models.build("sparse")).get_layer("code")
    simple = models.encoder_of(models.build("simple")).get_layer("code")
    assert float(sparse.activity_regularizer.l1) == pytest.approx(1e-4)
    assert simple.activity_regularizer is None


def test_vae_kl_is_a_finite_scalar(images):
    from ae_core.models.vae import kl_divergence

    vae = models.build("vae")
    z_mean, z_log_var = models.encoder_of(vae)(images)
    kl = np.asarray(kl_divergence(z_mean, z_log_var))
    assert kl.shape == () and np.isfinite(kl) and kl >= 0


def test_vae_reports_both_loss_terms(tmp_path):
    spec = ae_core.TrainSpec("vae", epochs=1, train_size=64, batch_size=32)
    result = ae_core.train(spec, dataset=ae_core.load_sample())
    epoch = result.epochs[0]
    for key in ("reconstruction", "kl", "val_reconstruction", "val_kl"):
        assert np.isfinite(epoch[key]), key
    assert epoch["loss"] == pytest.approx(epoch["reconstruction"] + epoch["kl"], 1e-3)


def test_unknown_kind_is_named():
    with pytest.raises(ValueError, match=r"Unknown kind 'dense'.*expected one of"):
        models.build("dense")


def test_load_model_rejects_a_wrong_file(tmp_path):
    path = tmp_path / "model.keras"
    path.write_bytes(b"not a zip")
    with pytest.raises(ValueError, match=r"model\.keras is not a model saved by"):
        load_model(path)


def _all_layers(model):
    for layer in model.layers:
        yield layer
        if hasattr(layer, "layers"):
            yield from _all_layers(layer)


def test_test_scores_are_kept_per_data_set(tmp_path, images, monkeypatch):
    from ae_core.runs import SCORES, test_scores

    model = models.build("simple")
    first = test_scores(tmp_path, model, images)
    assert (tmp_path / SCORES).is_file()
    monkeypatch.setattr(models, "reconstruct", lambda *a: pytest.fail("rescored"))
    assert test_scores(tmp_path, model, images) == first
    with pytest.raises(pytest.fail.Exception, match="rescored"):
        test_scores(tmp_path, model, images[:10])

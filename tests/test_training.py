"""Stopping, diverging and resuming, in process and through the job runner."""

import dataclasses
import json

import numpy as np
import pytest

import ae_core
from ae_core.runs import CHECKPOINT, HISTORY, MODEL


@pytest.fixture(scope="module")
def sample():
    return ae_core.load_sample()


def tiny(kind="simple", **changes):
    return ae_core.TrainSpec(kind, epochs=3, train_size=256, batch_size=32, **changes)


def test_stop_takes_effect_within_one_batch_and_keeps_last_epoch(sample, tmp_path):
    events = []

    def stop_in_second_epoch():
        batches = [e for e in events if e["type"] == "batch" and e["epoch"] == 2]
        return len(batches) >= 1

    result = ae_core.train(
        tiny(), tmp_path, events.append, stop_in_second_epoch, sample
    )
    assert result.outcome == "stopped"
    assert result.message == "Stopped after epoch 1; the model of epoch 1 was kept."
    assert len(result.epochs) == 1
    last_batch = [e for e in events if e["type"] == "batch"][-1]
    assert (last_batch["epoch"], last_batch["batch"]) == (2, 1)
    assert ae_core.load_run(tmp_path).history["epochs"] == result.epochs


def test_stop_before_first_epoch_keeps_nothing(sample, tmp_path):
    result = ae_core.train(tiny(), tmp_path, should_stop=lambda: True, dataset=sample)
    assert result.outcome == "stopped" and result.model is None
    assert result.message == "Stopped before the first epoch ended; no model was kept."
    assert not (tmp_path / MODEL).exists()


def test_a_loss_that_rises_above_its_start_ends_as_diverged(sample, tmp_path):
    # Adam at a learning rate of 10 throws the weights where the loss sits flat
    # near 2.1, three times the untrained 0.69, without ever becoming NaN.
    spec = ae_core.TrainSpec(
        "simple", "fast", epochs=2, train_size=1000, batch_size=50, learning_rate=10
    )
    result = ae_core.train(spec, tmp_path, dataset=sample)
    assert result.outcome == "diverged"
    assert result.message.startswith("Training diverged: the loss rose to 2.")
    assert "in epoch 1, above the 0.69" in result.message
    assert "Try a lower learning rate than 10." in result.message
    assert result.model is None and result.epochs == []


def test_an_epoch_near_its_start_is_not_divergence():
    from ae_core.callbacks import Diverged, JobCallback

    callback = JobCallback(steps=2, start_loss=0.5)
    callback.set_model(ae_core.build("simple"))
    callback.on_epoch_begin(0)
    callback.on_epoch_end(0, {"loss": 0.52})  # 4% above: noise, not divergence
    callback.on_epoch_begin(1)
    with pytest.raises(Diverged, match="rose to 0.6 in epoch 2, above the 0.5"):
        callback.on_epoch_end(1, {"loss": 0.6})


def test_nan_loss_ends_as_diverged_naming_epoch_and_batch(sample, tmp_path):
    x = sample.x_train.copy()
    x[40:] = np.nan  # batch 2 of epoch 1 onwards, once shuffled mostly sooner
    broken = dataclasses.replace(sample, x_train=x[:256])
    spec = dataclasses.replace(tiny(), train_size=None)
    result = ae_core.train(spec, tmp_path, dataset=broken)
    assert result.outcome == "diverged"
    assert result.message.startswith(
        "Training diverged: the loss became nan at epoch 1"
    )
    assert "Try a lower learning rate than 0.002. No model was kept." in result.message
    assert result.model is None and not (tmp_path / MODEL).exists()
    assert not (tmp_path / CHECKPOINT).exists()


def test_resume_goes_on_from_the_last_completed_epoch(sample, tmp_path):
    first = ae_core.train(
        dataclasses.replace(tiny(), epochs=2), tmp_path, dataset=sample
    )
    (tmp_path / MODEL).unlink()  # as if killed after epoch 2
    again = ae_core.train(tiny(), tmp_path, dataset=sample)
    assert again.outcome == "done"
    assert [e["epoch"] for e in again.epochs] == [1, 2, 3]
    assert again.epochs[:2] == first.epochs
    history = json.loads((tmp_path / HISTORY).read_text())
    assert len(history["epochs"]) == 3


def test_spec_errors_are_pinned():
    with pytest.raises(ValueError, match=r"epochs must be a positive integer.*0"):
        ae_core.TrainSpec("simple", epochs=0)
    with pytest.raises(ValueError, match=r"Unknown preset 'slow'"):
        ae_core.TrainSpec("simple", preset="slow")
    with pytest.raises(ValueError, match=r"noise_factor must be between 0 and 1"):
        ae_core.TrainSpec("denoising", noise_factor=2.0)


def test_stop_right_after_resume_keeps_the_checkpointed_epoch(sample, tmp_path):
    first = ae_core.train(
        dataclasses.replace(tiny(), epochs=1), tmp_path, dataset=sample
    )
    kept = ae_core.models.reconstruct(first.model, sample.x_test[:8])
    again = ae_core.train(tiny(), tmp_path, should_stop=lambda: True, dataset=sample)
    assert again.message == "Stopped after epoch 1; the model of epoch 1 was kept."
    np.testing.assert_allclose(
        ae_core.models.reconstruct(again.model, sample.x_test[:8]), kept, atol=1e-6
    )

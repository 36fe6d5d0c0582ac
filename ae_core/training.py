"""Training one autoencoder from a `TrainSpec`, with events and a resumable folder.

`train` is the one entry point: the job runner calls it in a child process,
the CLI and the tests call it directly.
"""

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np

from ae_core import models
from ae_core.callbacks import Diverged, JobCallback, StopRequested
from ae_core.data import add_noise, load_dataset
from ae_core.presets import make_optimizer, preset_for
from ae_core.runs import (
    CHECKPOINT,
    HISTORY,
    MODEL,
    SPEC,
    history_dict,
    load_model,
    save_model,
    write_json,
)

logger = logging.getLogger(__name__)
MIN_VALIDATION = 1000


@dataclass
class TrainResult:
    """How a run ended: "done", "stopped" or "diverged", and what it kept."""

    outcome: str
    epochs: list
    message: str
    model: keras.Model | None


def train(spec, run_dir=None, on_event=None, should_stop=None, dataset=None,
          extra_callbacks=()):  # fmt: skip
    """Trains `spec` and saves the run in `run_dir`, resuming from a checkpoint.

    Args:
        spec: a `TrainSpec`.
        run_dir: folder for spec, history, checkpoint and model. Defaults to
            keeping nothing on disk.
        on_event: called with each batch and epoch event dict.
        should_stop: polled after every batch; True stops the run.
        dataset: a `Dataset` to use instead of loading `spec.dataset`.
        extra_callbacks: more Keras callbacks, e.g. TensorBoard.

    Returns:
        A `TrainResult`. Stopped and diverged runs keep the last completed epoch.

    Note:
        Validation uses the test set; with a `train_size`, only its first
        max(1000, train_size // 4) images, to keep small runs quick.
    """
    spec = spec.resolved()
    recipe = preset_for(spec.kind, spec.preset)
    data = dataset or load_dataset(spec.dataset, spec.data_dir)
    x, y, x_val, y_val = _arrays(spec, data)
    run_dir = Path(run_dir) if run_dir else None
    model, done = _resume(run_dir) if run_dir else (None, [])
    if model is None:
        keras.utils.set_random_seed(spec.seed)
        model = models.build(spec.kind, **spec.model_options())
        model.compile(
            optimizer=make_optimizer(recipe.optimizer, spec.learning_rate),
            loss=None if spec.kind == "vae" else "binary_crossentropy",
            jit_compile=recipe.jit_compile,
        )
    if run_dir:
        run_dir.mkdir(parents=True, exist_ok=True)
        spec.save(run_dir / SPEC)

    # Fit
    steps = -(-len(x) // spec.batch_size)
    # A resumed run compares its epochs with the first epoch's mean loss.
    start = done[0]["loss"] if done else None
    job = JobCallback(steps, on_event, should_stop, start_loss=start)
    job.on_epoch_saved = _saver(spec, run_dir, done, job)
    if done:
        job.good_weights = [w.copy() for w in model.get_weights()]
    outcome, message = "done", f"Trained {_epochs(spec.epochs)}."
    try:
        model.fit(
            x, y, batch_size=spec.batch_size, epochs=spec.epochs,
            initial_epoch=len(done), validation_data=(x_val, y_val),
            shuffle=True, verbose=0, callbacks=[job, *extra_callbacks],
        )  # fmt: skip
    except StopRequested:
        count = len(done) + len(job.epochs)
        outcome = "stopped"
        message = f"Stopped after epoch {count}; " if count else "Stopped before "
        message += (
            _kept(count) if count else "the first epoch ended; no model was kept."
        )
    except Diverged as error:
        count = len(done) + len(job.epochs)
        outcome = "diverged"
        message = (
            f"Training diverged: {error} Try a lower learning rate than "
            f"{spec.learning_rate:g}. {_kept(count).capitalize()}"
        )

    # Keep the last completed epoch
    epochs = done + job.epochs
    model = model if job.good_weights is not None else None
    if model is not None:
        model.set_weights(job.good_weights)
    if run_dir and model is not None:
        save_model(model, run_dir / MODEL)
        write_json(run_dir / HISTORY, history_dict(spec, epochs))
    return TrainResult(outcome, epochs, message, model)


def _arrays(spec, data):
    rng = np.random.default_rng(spec.seed)
    x = data.x_train
    if spec.train_size and spec.train_size < len(x):
        x = x[np.sort(rng.choice(len(x), spec.train_size, replace=False))]
    n_val = len(data.x_test)
    if spec.train_size:
        n_val = min(n_val, max(MIN_VALIDATION, spec.train_size // 4))
    x_val = data.x_test[:n_val]
    if spec.kind == "denoising":
        noisy = add_noise(x, spec.noise_factor, seed=spec.seed)
        noisy_val = add_noise(x_val, spec.noise_factor, seed=spec.seed + 1)
        return noisy, x, noisy_val, x_val
    return x, x, x_val, x_val


def _resume(run_dir):
    """The checkpointed model and its completed epochs, if `run_dir` has one."""
    checkpoint, history = run_dir / CHECKPOINT, run_dir / HISTORY
    if not (checkpoint.is_file() and history.is_file()):
        return None, []
    epochs = json.loads(history.read_text())["epochs"]
    logger.info("Resuming %s after epoch %d", run_dir, len(epochs))
    return load_model(checkpoint, compile=True), epochs


def _saver(spec, run_dir, done, job):
    """Writes the checkpoint, then the history, after each finite epoch."""

    def save(model, event):
        if run_dir is None:
            return
        save_model(model, run_dir / CHECKPOINT)
        write_json(run_dir / HISTORY, history_dict(spec, done + job.epochs))

    return save


def _kept(count):
    if count == 0:
        return "no model was kept."
    return f"the model of epoch {count} was kept."


def _epochs(count):
    return f"{count} epoch" + ("" if count == 1 else "s")

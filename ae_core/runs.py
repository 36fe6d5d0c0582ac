"""A run's folder: `spec.json`, `history.json`, `model.keras` and checkpoints.

Every file is written to a temporary name first and then renamed, so a run
killed mid-write never leaves a half-written file behind.
"""

import dataclasses
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np

from ae_core import models
from ae_core.spec import TrainSpec

logger = logging.getLogger(__name__)
SPEC, HISTORY, MODEL, CHECKPOINT, SCORES = (
    "spec.json", "history.json", "model.keras", "checkpoint.keras", "scores.json"
)  # fmt: skip


@dataclass
class Run:
    """A finished run: its settings, its per-epoch history and its model."""

    spec: TrainSpec
    history: dict
    model: keras.Model


def load_run(path):
    """Loads the run saved in folder `path` (safe mode, not compiled).

    Raises:
        ValueError: when a file is missing or unreadable, naming it.
    """
    path = Path(path)
    for name in (SPEC, HISTORY, MODEL):
        if not (path / name).is_file():
            raise ValueError(f"{path / name} is missing: not a finished ae_core run.")
    try:
        spec = TrainSpec.load(path / SPEC)
        history = json.loads((path / HISTORY).read_text())
    except (ValueError, TypeError) as error:
        raise ValueError(f"{path} holds an unreadable spec or history: {error}")
    return Run(spec, history, load_model(path / MODEL))


def load_model(path, compile=False):
    """Loads a model that ae_core saved; never with unsafe deserialization."""
    try:
        return keras.saving.load_model(path, compile=compile, safe_mode=True)
    except Exception as error:
        raise ValueError(f"{path} is not a model saved by ae_core: {error}") from None


def test_scores(folder, model, x_test):
    """Reconstruction scores of `model` on `x_test`, remembered in the run folder.

    Scoring a whole test set takes seconds on a CPU; `scores.json` keeps the
    result per data set (by a hash of `x_test`), so a server opens at once.
    A folder that cannot be written to just means scoring again next time.
    """
    from ae_core import metrics  # scikit-learn: not needed by training jobs

    path = Path(folder) / SCORES
    key = hashlib.sha1(np.ascontiguousarray(x_test).tobytes()).hexdigest()[:16]
    saved = json.loads(path.read_text()) if path.is_file() else {}
    if key in saved:
        return metrics.Scores(**saved[key])
    scores = metrics.reconstruction_scores(x_test, models.reconstruct(model, x_test))
    try:
        write_json(path, {**saved, key: dataclasses.asdict(scores)})
    except OSError as error:
        logger.info("Could not keep the scores in %s: %s", path, error)
    return scores


def write_json(path, value):
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(value, indent=1))
    os.replace(tmp, path)


def save_model(model, path):
    tmp = path.with_name(f".tmp-{path.name}")
    model.save(tmp)
    os.replace(tmp, path)


def history_dict(spec, epochs):
    return {
        "kind": spec.kind, "preset": spec.preset,
        "spec": spec.to_dict(), "epochs": epochs,
    }  # fmt: skip

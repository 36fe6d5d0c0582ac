"""A run's folder: `spec.json`, `history.json`, `model.keras` and checkpoints.

Every file is written to a temporary name first and then renamed, so a run
killed mid-write never leaves a half-written file behind.
"""

import json
import os
from dataclasses import dataclass
from pathlib import Path

import keras

from ae_core import models  # noqa: F401  (registers the VAE classes for loading)
from ae_core.spec import TrainSpec

SPEC, HISTORY, MODEL, CHECKPOINT = (
    "spec.json", "history.json", "model.keras", "checkpoint.keras"
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

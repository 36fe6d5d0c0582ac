"""ae_core: the autoencoders of the 2016 Keras blog post, their training and jobs.

A plain library (it never imports Streamlit): arrays and plain values in,
models, histories and arrays out. The dashboard and the CLI build on it.
"""

from pathlib import Path

from ae_core.data import Dataset, add_noise, load_dataset, load_sample
from ae_core.jobs import JobRunner
from ae_core.models import (
    CONV_KINDS,
    DENSE_KINDS,
    KINDS,
    build,
    code_shape,
    decode,
    encode,
    reconstruct,
)
from ae_core.presets import PRESETS
from ae_core.runs import Run, load_model, load_run
from ae_core.spec import TrainSpec
from ae_core.training import TrainResult, train

PRETRAINED_DIR = Path(__file__).resolve().parent.parent / "assets" / "pretrained"

__all__ = [
    "CONV_KINDS", "DENSE_KINDS", "KINDS", "PRESETS", "PRETRAINED_DIR",
    "Dataset", "JobRunner", "Run", "TrainResult", "TrainSpec",
    "add_noise", "build", "code_shape", "decode", "encode", "load_dataset",
    "load_model", "load_run", "load_sample", "reconstruct", "train",
]  # fmt: skip

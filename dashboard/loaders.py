"""Cached access to the data set, the models and the job runner.

`st.cache_resource` holds read-only objects shared by every session (the data
set, loaded models, the job runner); `st.cache_data` holds results computed
from them, keyed by a model's folder and the time its file was written.
"""

import gc
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import streamlit as st

import ae_core
from ae_core import metrics
from ae_core.numpy_decoder import NumpyDecoder
from ae_core.runs import test_scores as test_scores_in
from dashboard import settings

FINISHED_WITH_MODEL = ("done", "stopped", "diverged")
MY_JOBS = "my_jobs"


@dataclass(frozen=True)
class ModelChoice:
    """A model the pages can offer: pretrained, or from a finished job."""

    label: str
    kind: str
    path: str
    job_id: str | None = None


# Shared objects


@st.cache_resource(show_spinner="Loading MNIST...")
def dataset():
    """The data set, loaded once per server; its arrays are read-only."""
    data = ae_core.load_sample() if settings.use_sample() else ae_core.load_dataset()
    for array in (data.x_train, data.y_train, data.x_test, data.y_test):
        array.setflags(write=False)
    freeze_heap()
    return data


@st.cache_resource
def job_runner():
    """The one job runner of this server, with a process ready for the next job."""
    return ae_core.JobRunner(settings.runs_dir(), keep_spare=True)


@st.cache_resource(show_spinner="Loading a model...", max_entries=32)
def _run_at(path, stamp):
    run = ae_core.load_run(path)
    if Path(path).parent == settings.pretrained_dir():
        freeze_heap()  # a job's model may leave the cache: it stays collectable
    return run


def run_of(choice):
    """The loaded `Run` (spec, history, model) of a `ModelChoice`."""
    return _run_at(choice.path, _stamp(choice.path))


def freeze_heap():
    """Keeps what is loaded now out of the garbage collector's full passes.

    Streamlit collects all garbage after every script run, fragment runs
    included, and so does Keras' `clear_session`, which Streamlit calls then
    too. With TensorFlow and the seven models in memory each pass took about
    200 ms, so every page, slider move and poll of a job paid 0.4 s of CPU,
    and three tabs polling a job kept a core busy. Objects
    frozen here are never collected; call it only after loading something
    that stays for the server's lifetime.
    """
    gc.collect()
    gc.freeze()


# What there is to choose from


def model_choices(kinds=ae_core.KINDS):
    """Pretrained models, then finished jobs' models, of the given kinds."""
    choices = []
    for kind in kinds:
        folder = settings.pretrained_dir() / kind
        if (folder / "model.keras").is_file():
            choices.append(ModelChoice(f"{kind} (pretrained)", kind, str(folder)))
    return choices + [c for c in job_choices() if c.kind in kinds]


def job_choices():
    """Models of this session's finished, stopped or diverged jobs, newest first.

    Only the jobs this browser session started (or holds in its address) are
    offered: other users' jobs stay out of sight.
    """
    runner = job_runner()
    choices = []
    for job_id in reversed(my_jobs()):
        status = _status_or_none(runner, job_id)
        if status is None or not status["has_model"]:
            continue
        folder = runner.run_dir(job_id)
        kind = ae_core.TrainSpec.load(folder / "spec.json").kind
        label = job_label(kind, job_id, status["epoch"])
        choices.append(ModelChoice(label, kind, str(folder), job_id))
    return choices


def my_jobs():
    """Ids of the jobs of this session, oldest first, the address's included."""
    jobs = list(st.session_state.get(MY_JOBS, []))
    in_address = st.query_params.get("job")
    if in_address and in_address not in jobs:
        jobs.append(in_address)
    return jobs


def job_label(kind, job_id, epochs):
    return f"{kind} (job {job_id[:6]}, {epochs} epochs)"


def _status_or_none(runner, job_id):
    try:
        return runner.status(job_id)
    except (KeyError, ValueError):
        return None


def _stamp(path):
    return (Path(path) / "model.keras").stat().st_mtime


def key_of(choice):
    """A key that changes when the model's file is written again."""
    return (choice.path, _stamp(choice.path))


# Results computed from a model


@st.cache_data(show_spinner="Scoring on the test set...", max_entries=64)
def test_scores(path, stamp):
    """BCE, MSE and PSNR of a model's reconstructions of the whole test set."""
    model = _run_at(path, stamp).model
    return test_scores_in(path, model, dataset().x_test)


@st.cache_data(show_spinner="Encoding the test set...", max_entries=64)
def test_codes(path, stamp, n_samples=None):
    """Codes of the first `n_samples` test images (all by default)."""
    x = dataset().x_test[:n_samples]
    return ae_core.encode(_run_at(path, stamp).model, x)


@st.cache_resource(show_spinner="Fitting the PCA baseline...", max_entries=8)
def pca_baseline(n_components):
    """A PCA fitted on training images, the linear baseline for a code size."""
    return metrics.fit_pca(dataset().x_train, n_components)


def scores_of(choice):
    return test_scores(choice.path, _stamp(choice.path))


def codes_of(choice, n_samples=None):
    return test_codes(choice.path, _stamp(choice.path), n_samples)


def sample_indices(n_total, n_samples, seed):
    """`n_samples` distinct sorted indices below `n_total`, drawn with `seed`."""
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n_total, size=min(n_samples, n_total), replace=False))


@st.cache_data(show_spinner="Scoring PCA on the test set...", max_entries=8)
def pca_scores(n_components):
    """Scores of the PCA baseline's reconstructions of the whole test set."""
    x = dataset().x_test
    return metrics.reconstruction_scores(
        x, metrics.pca_reconstruct(pca_baseline(n_components), x)
    )


@st.cache_data(show_spinner="Measuring errors per time step...", max_entries=16)
def _mean_row_errors(path, stamp, n_samples):
    x = dataset().x_test[:n_samples]
    x_hat = ae_core.reconstruct(_run_at(path, stamp).model, x)
    return row_errors(x, x_hat).mean(axis=0)


def mean_row_errors(choice, n_samples=1000):
    """Squared error per image row (time step), averaged over test images."""
    return _mean_row_errors(choice.path, _stamp(choice.path), n_samples)


def row_errors(x, x_hat):
    """Mean squared error of each row of each image: (n, 28)."""
    return ((np.asarray(x) - np.asarray(x_hat)) ** 2).mean(axis=2)


@st.cache_resource(max_entries=8)
def _numpy_decoder(path, stamp):
    return NumpyDecoder.of(ae_core.models.decoder_of(_run_at(path, stamp).model))


def numpy_decoder_of(choice):
    """The model's decoder copied to numpy, or None where it is not dense layers.

    The latent page sends its weights to the browser, which decodes there.
    """
    return _numpy_decoder(choice.path, _stamp(choice.path))

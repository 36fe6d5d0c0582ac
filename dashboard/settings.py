"""Where the dashboard finds its models, runs and data, from environment variables.

AE_PRETRAINED_DIR  folder with one subfolder per kind (default: ae_core's).
AE_RUNS_DIR        the job runner's root (default: runs/ in the repository).
AE_SAMPLE          "1" to use the bundled 6,000-digit MNIST sample, offline.
AE_DATA_DIR        read by ae_core.load_dataset: folder holding mnist.npz.
"""

import os
from pathlib import Path

import ae_core

REPO = Path(__file__).resolve().parent.parent


def pretrained_dir():
    return Path(os.environ.get("AE_PRETRAINED_DIR") or ae_core.PRETRAINED_DIR)


def runs_dir():
    return Path(os.environ.get("AE_RUNS_DIR") or REPO / "runs")


def use_sample():
    return os.environ.get("AE_SAMPLE", "") == "1"

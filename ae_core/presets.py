"""Training recipes: the 2016 post's (`paper`) and a faster one of ours (`fast`).

`paper` uses Adadelta with a learning rate of 1.0, as Keras 1 did by default
(Keras 3's default of 0.001 barely moves), RMSprop for the VAE, batch 256 (128
for the convolutional kinds, 100 for the VAE) and the post's epoch counts. The
post gives no recipe for the LSTM; we train it like the dense kinds.

`fast` uses Adam and fewer epochs. The README lists what both reach.
"""

from dataclasses import dataclass

import keras

PRESETS = ("paper", "fast")


@dataclass(frozen=True)
class Recipe:
    optimizer: str
    learning_rate: float
    batch_size: int
    epochs: int
    jit_compile: bool | str = "auto"


PAPER_EPOCHS = {
    "simple": 50, "sparse": 100, "deep": 100, "conv": 50,
    "denoising": 100, "lstm": 50, "vae": 50,
}  # fmt: skip
FAST_EPOCHS = {
    "simple": 15, "sparse": 30, "deep": 20, "conv": 15,
    "denoising": 10, "lstm": 10, "vae": 20,
}  # fmt: skip
# Measured per kind by bench/speed.py on a 2-core CPU; see the README.
JIT_COMPILE = {}


def preset_for(kind, preset):
    """The `Recipe` of `preset` for `kind`."""
    jit = JIT_COMPILE.get(kind, "auto")
    if preset == "paper":
        if kind == "vae":
            return Recipe("rmsprop", 1e-3, 100, PAPER_EPOCHS[kind], jit)
        batch = 128 if kind in ("conv", "denoising") else 256
        return Recipe("adadelta", 1.0, batch, PAPER_EPOCHS[kind], jit)
    if preset == "fast":
        return Recipe("adam", 2e-3, 128, FAST_EPOCHS[kind], jit)
    raise ValueError(f"Unknown preset {preset!r}: expected one of {PRESETS}.")


def make_optimizer(name, learning_rate):
    """A fresh Keras optimizer by name."""
    optimizers = {
        "adadelta": keras.optimizers.Adadelta,
        "rmsprop": keras.optimizers.RMSprop,
        "adam": keras.optimizers.Adam,
    }
    return optimizers[name](learning_rate=float(learning_rate))

"""Seconds per epoch: ae_core's training against a plain Keras `fit`.

For each kind, in one process and on the same data, this times
- `keras auto`: the same model compiled with Keras' default `jit_compile`,
- `keras xla` and `keras no-xla`: the same with XLA forced on and off,
- `ae_core`: `ae_core.train` with its events, stop checks and checkpoints,
and prints each as a ratio to `keras auto` (below 1.0 is faster). The first
epoch (tracing) is left out; the median over the other epochs, and then over
interleaved repeats, is kept.

    AE_DATA_DIR=../shared/data python -m bench.speed [KIND ...] [--train-size N]
"""

import argparse
import statistics
import tempfile
import time

import keras

import ae_core
from ae_core import models
from ae_core.presets import make_optimizer, preset_for


class EpochTimer(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self.started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self.started)


def plain_keras(spec, x, x_val, jit_compile):
    """What a user would write: build, compile, fit."""
    recipe = preset_for(spec.kind, spec.preset)
    keras.utils.set_random_seed(spec.seed)
    model = models.build(spec.kind, **spec.model_options())
    model.compile(
        optimizer=make_optimizer(recipe.optimizer, spec.learning_rate),
        loss=None if spec.kind == "vae" else "binary_crossentropy",
        jit_compile=jit_compile,
    )
    timer = EpochTimer()
    model.fit(
        x, x, batch_size=spec.batch_size, epochs=spec.epochs, shuffle=True,
        validation_data=(x_val, x_val), verbose=0, callbacks=[timer],
    )  # fmt: skip
    return statistics.median(timer.seconds[1:])


def ours(spec, data):
    """Wall time between epoch events, so checkpoint writes count too."""
    stamps = []

    def on_event(event):
        if event["type"] == "epoch":
            stamps.append(time.perf_counter())

    with tempfile.TemporaryDirectory() as folder:
        ae_core.train(spec, folder, on_event, dataset=data)
    return statistics.median(b - a for a, b in zip(stamps, stamps[1:]))


VARIANTS = {
    "keras auto": lambda spec, data, x, x_val: plain_keras(spec, x, x_val, "auto"),
    "keras xla": lambda spec, data, x, x_val: plain_keras(spec, x, x_val, True),
    "keras no-xla": lambda spec, data, x, x_val: plain_keras(spec, x, x_val, False),
    "ae_core": lambda spec, data, x, x_val: ours(spec, data),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kinds", nargs="*", default=list(ae_core.KINDS))
    parser.add_argument("--train-size", type=int, default=10000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    data = ae_core.load_dataset()
    names = list(VARIANTS)
    print(
        f"| kind | {names[0]} s/epoch | " + " | ".join(names[1:]) + " | ae_core jit |"
    )
    print("|---|" + "---|" * (len(names) + 1))
    for kind in args.kinds:
        spec = ae_core.TrainSpec(
            kind, epochs=args.epochs, train_size=args.train_size
        ).resolved()
        x = data.x_train[: args.train_size]
        x_val = data.x_test[: max(1000, args.train_size // 4)]
        # Interleaved repeats, so that a busy moment hits every variant alike.
        times = {name: [] for name in names}
        for _ in range(args.repeats):
            for name in names:
                times[name].append(VARIANTS[name](spec, data, x, x_val))
        base = statistics.median(times[names[0]])
        ratios = [statistics.median(times[name]) / base for name in names[1:]]
        jit = preset_for(kind, spec.preset).jit_compile
        cells = " | ".join(f"{ratio:.2f}" for ratio in ratios)
        print(f"| {kind} | {base:.2f} | {cells} | {jit} |", flush=True)


if __name__ == "__main__":
    main()

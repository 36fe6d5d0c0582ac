"""Keras callbacks that turn a `fit` into a job: events, stop, divergence, saves."""

import math
import time

import keras
import numpy as np

BATCH_EVENT_SECONDS = 0.25
# An epoch whose mean training loss ends this much above the loss the run
# started from has made the model worse than untrained: that is divergence
# too, even while the loss stays finite (a too-high learning rate often
# throws the weights to where the loss sits flat at a high value).
ROSE_FACTOR = 1.05


class StopRequested(Exception):
    """Raised inside `fit` when the caller asks the run to stop."""


class Diverged(Exception):
    """Raised inside `fit` when the loss or the weights stop being finite, or
    an epoch ends with the loss above where the run started."""

    def __init__(self, epoch, batch, value, start=None):
        self.epoch, self.batch, self.value = epoch, batch, value
        where = f"epoch {epoch}" + (f", batch {batch}" if batch is not None else "")
        if start is None:
            text = f"the loss became {value} at {where}."
        else:
            text = (
                f"the loss rose to {value:.4g} in {where}, above the {start:.4g} "
                "it started from."
            )
        super().__init__(text)


class JobCallback(keras.callbacks.Callback):
    """Reports events, stops within one batch, and keeps the last good epoch.

    Args:
        steps: batches per epoch, reported with each batch event.
        on_event: called with each event dict. Defaults to doing nothing.
        should_stop: returns True when the run must stop. Defaults to never.
        on_epoch_saved: called with (model, epoch event) after each finite epoch,
            e.g. to write a checkpoint. Defaults to doing nothing.
        start_loss: the loss the run started from; an epoch whose mean loss
            ends above it (by `ROSE_FACTOR`) diverged. Defaults to the loss of
            the first batch, before any update.
    """

    def __init__(
        self,
        steps,
        on_event=None,
        should_stop=None,
        on_epoch_saved=None,
        start_loss=None,
    ):
        super().__init__()
        self.steps = steps
        self.start_loss = start_loss
        self.on_event = on_event or (lambda event: None)
        self.should_stop = should_stop or (lambda: False)
        self.on_epoch_saved = on_epoch_saved or (lambda model, event: None)
        self.good_weights = None
        self.epochs = []

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch + 1
        self.started = time.perf_counter()
        self.last_event = 0.0

    def on_train_batch_end(self, batch, logs=None):
        loss = float(logs["loss"])
        if not math.isfinite(loss):
            raise Diverged(self.epoch, batch + 1, loss)
        if self.start_loss is None:
            self.start_loss = loss
        if self.should_stop():
            raise StopRequested()
        now = time.perf_counter()
        if now - self.last_event >= BATCH_EVENT_SECONDS or batch + 1 == self.steps:
            self.last_event = now
            event = {"type": "batch", "epoch": self.epoch, "batch": batch + 1,
                     "batches": self.steps}  # fmt: skip
            # The running means of every term, e.g. the VAE's two losses
            event.update({key: float(value) for key, value in logs.items()})
            self.on_event(event)

    def on_test_batch_end(self, batch, logs=None):
        if self.should_stop():
            raise StopRequested()

    def on_epoch_end(self, epoch, logs=None):
        event = {"type": "epoch", "epoch": self.epoch}
        event.update({key: float(value) for key, value in logs.items()})
        event["seconds"] = round(time.perf_counter() - self.started, 3)
        bad = [key for key, value in event.items() if _not_finite(value)]
        if bad or not _weights_finite(self.model):
            value = event[bad[0]] if bad else "non-finite weights"
            raise Diverged(self.epoch, None, value)
        if event["loss"] > ROSE_FACTOR * self.start_loss:
            raise Diverged(self.epoch, None, event["loss"], start=self.start_loss)
        self.good_weights = [w.copy() for w in self.model.get_weights()]
        self.epochs.append({k: v for k, v in event.items() if k != "type"})
        self.on_epoch_saved(self.model, event)
        self.on_event(event)


def _not_finite(value):
    return isinstance(value, float) and not math.isfinite(value)


def _weights_finite(model):
    return all(np.isfinite(w).all() for w in model.get_weights())

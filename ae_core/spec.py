"""The settings of one training run, as one small dataclass saved as JSON."""

import dataclasses
import json
from dataclasses import dataclass

from ae_core.data import DATASETS
from ae_core.models import KINDS
from ae_core.presets import PRESETS, preset_for


@dataclass(frozen=True)
class TrainSpec:
    """What to train and how; a `None` takes the preset's value.

    Args:
        kind: one of `KINDS`.
        preset: "paper" (the 2016 post's recipe) or "fast". Defaults to "fast".
        epochs: number of epochs. Defaults to the preset's.
        train_size: training images, drawn with `seed`. Defaults to all.
        batch_size: images per step. Defaults to the preset's.
        seed: seeds the subset, the noise, the weights. Defaults to 0.
        dataset: "mnist" or "fashion_mnist". Defaults to "mnist".
        data_dir: folder with the data set files. Defaults to the lookup order
            of `load_dataset`.
        noise_factor: input noise of the `denoising` kind. Defaults to 0.5.
        latent_dim: code size of `vae` (default 2) and `lstm` (default 64).
        learning_rate: defaults to the preset's.
    """

    kind: str
    preset: str = "fast"
    epochs: int | None = None
    train_size: int | None = None
    batch_size: int | None = None
    seed: int = 0
    dataset: str = "mnist"
    data_dir: str | None = None
    noise_factor: float = 0.5
    latent_dim: int | None = None
    learning_rate: float | None = None

    def __post_init__(self):
        _check_choice("kind", self.kind, KINDS)
        _check_choice("preset", self.preset, PRESETS)
        _check_choice("dataset", self.dataset, DATASETS)
        for name in ("epochs", "train_size", "batch_size", "latent_dim"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 1):
                raise ValueError(
                    f"{name} must be a positive integer or None, received {value!r}."
                )
        if not 0 <= self.noise_factor <= 1:
            raise ValueError(
                f"noise_factor must be between 0 and 1, received {self.noise_factor}."
            )
        if self.learning_rate is not None and not self.learning_rate > 0:
            raise ValueError(
                f"learning_rate must be positive, received {self.learning_rate}."
            )

    def resolved(self):
        """A copy with every `None` setting filled in from the preset."""
        recipe = preset_for(self.kind, self.preset)
        latent = {"vae": 2, "lstm": 64}.get(self.kind)
        return dataclasses.replace(
            self,
            epochs=self.epochs or recipe.epochs,
            batch_size=self.batch_size or recipe.batch_size,
            learning_rate=self.learning_rate or recipe.learning_rate,
            latent_dim=self.latent_dim or latent,
        )

    def model_options(self):
        """Keyword arguments for the kind's model builder."""
        if self.kind in ("vae", "lstm") and self.latent_dim:
            return {"latent_dim": self.latent_dim}
        return {}

    def to_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values):
        known = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(
                f"Unknown spec fields {unknown}: expected {sorted(known)}."
            )
        return cls(**values)

    def save(self, path):
        path.write_text(json.dumps(self.to_dict(), indent=2))

    @classmethod
    def load(cls, path):
        return cls.from_dict(json.loads(path.read_text()))


def _check_choice(name, value, choices):
    if value not in choices:
        raise ValueError(f"Unknown {name} {value!r}: expected one of {choices}.")

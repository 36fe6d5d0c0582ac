"""The seven autoencoders of the 2016 Keras blog post, and how to use them.

Every model maps images (n, 28, 28) in [0, 1] to images of the same shape and
holds two named sub-models, "encoder" and "decoder".
"""

import numpy as np

from ae_core.models.conv import build_conv, build_denoising
from ae_core.models.dense import build_deep, build_simple, build_sparse
from ae_core.models.lstm import build_lstm
from ae_core.models.vae import VAE, Sampling, build_vae

BUILDERS = {
    "simple": build_simple,
    "sparse": build_sparse,
    "deep": build_deep,
    "conv": build_conv,
    "denoising": build_denoising,
    "lstm": build_lstm,
    "vae": build_vae,
}
KINDS = tuple(BUILDERS)
DENSE_KINDS = ("simple", "sparse", "deep")
CONV_KINDS = ("conv", "denoising")
PREDICT_BATCH = 1024

__all__ = ["KINDS", "VAE", "Sampling", "build", "encode", "decode", "reconstruct"]


def build(kind, **options):
    """Builds an untrained autoencoder of `kind` with the kind's own `options`."""
    if kind not in BUILDERS:
        raise ValueError(f"Unknown kind {kind!r}: expected one of {KINDS}.")
    return BUILDERS[kind](**options)


def encoder_of(model):
    return model.get_layer("encoder")


def decoder_of(model):
    return model.get_layer("decoder")


def code_shape(model):
    """The shape of one code, e.g. (32,) or (4, 4, 8); `z_mean`'s for the VAE."""
    outputs = encoder_of(model).outputs
    return tuple(outputs[0].shape[1:])


def encode(model, x):
    """Codes of images `x` (n, 28, 28); the VAE gives `z_mean`."""
    codes = _batched(encoder_of(model), x)
    return codes[0] if isinstance(codes, list) else codes


def decode(model, codes):
    """Images (n, 28, 28) decoded from `codes`."""
    return _batched(decoder_of(model), np.asarray(codes, dtype=np.float32))


def reconstruct(model, x):
    """Reconstructions (n, 28, 28) of images `x`."""
    return _batched(model, x)


def _batched(network, x):
    """Calls `network` directly in batches: faster than `predict` for small x."""
    parts = []
    for start in range(0, len(x), PREDICT_BATCH):
        out = network(x[start : start + PREDICT_BATCH], training=False)
        parts.append([np.asarray(o) for o in out] if isinstance(out, list) else out)
    if isinstance(parts[0], list):
        return [np.concatenate([p[i] for p in parts]) for i in range(len(parts[0]))]
    return np.concatenate([np.asarray(p) for p in parts])

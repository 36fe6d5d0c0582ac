"""Fully connected autoencoders: `simple`, `sparse` and `deep`.

Sizes follow the 2016 Keras blog post: a 32-number code for all three, an L1
activity penalty on the code for `sparse`, and 128-64-32 layers for `deep`.
"""

import keras
from keras import layers

from ae_core.models.common import IMAGE_SHAPE, PIXELS, assemble


def build_simple(code_size=32, l1=0.0):
    """One dense layer each way: 784 -> `code_size` (relu) -> 784 (sigmoid)."""
    regularizer = keras.regularizers.L1(l1) if l1 else None

    # Encoder
    images = keras.Input(IMAGE_SHAPE, name="images")
    flat = layers.Flatten()(images)
    code = layers.Dense(
        code_size, activation="relu", activity_regularizer=regularizer, name="code"
    )(flat)
    encoder = keras.Model(images, code, name="encoder")

    # Decoder
    codes = keras.Input((code_size,), name="codes")
    pixels = layers.Dense(PIXELS, activation="sigmoid")(codes)
    decoder = keras.Model(codes, layers.Reshape(IMAGE_SHAPE)(pixels), name="decoder")
    return assemble(encoder, decoder)


def build_sparse(code_size=32, l1=1e-4):
    """The simple autoencoder with an L1 penalty of `l1` on the code."""
    return build_simple(code_size=code_size, l1=l1)


def build_deep(sizes=(128, 64, 32)):
    """Three dense layers each way; the decoder mirrors the encoder."""
    # Encoder
    images = keras.Input(IMAGE_SHAPE, name="images")
    hidden = layers.Flatten()(images)
    for size in sizes:
        hidden = layers.Dense(size, activation="relu")(hidden)
    encoder = keras.Model(images, hidden, name="encoder")

    # Decoder
    codes = keras.Input((sizes[-1],), name="codes")
    hidden = codes
    for size in reversed(sizes[:-1]):
        hidden = layers.Dense(size, activation="relu")(hidden)
    pixels = layers.Dense(PIXELS, activation="sigmoid")(hidden)
    decoder = keras.Model(codes, layers.Reshape(IMAGE_SHAPE)(pixels), name="decoder")
    return assemble(encoder, decoder)

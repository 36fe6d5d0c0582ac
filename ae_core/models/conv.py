"""Convolutional autoencoders: `conv` and `denoising`.

Every layer is told `channels_last`, so the models have the same shapes
whatever the user's Keras configuration says.
"""

import keras
from keras import layers

from ae_core.models.common import CHANNELS_LAST, IMAGE_SHAPE, assemble


def _conv(filters, padding="same", activation="relu"):
    return layers.Conv2D(
        filters, 3, padding=padding, activation=activation, data_format=CHANNELS_LAST
    )


def _pool():
    return layers.MaxPooling2D(2, padding="same", data_format=CHANNELS_LAST)


def _up():
    return layers.UpSampling2D(2, data_format=CHANNELS_LAST)


def build_conv():
    """16-8-8 filters down to a 4x4x8 code (128 numbers), 8-8-16 back up.

    The decoder's 16-filter convolution is unpadded (14x14 from 16x16), which
    brings the last up-sampling to exactly 28x28.
    """
    # Encoder
    images = keras.Input(IMAGE_SHAPE, name="images")
    hidden = layers.Reshape(IMAGE_SHAPE + (1,))(images)
    for filters in (16, 8, 8):
        hidden = _pool()(_conv(filters)(hidden))
    encoder = keras.Model(images, hidden, name="encoder")

    # Decoder
    codes = keras.Input((4, 4, 8), name="codes")
    hidden = _up()(_conv(8)(codes))
    hidden = _up()(_conv(8)(hidden))
    hidden = _up()(_conv(16, padding="valid")(hidden))
    pixels = _conv(1, activation="sigmoid")(hidden)
    decoder = keras.Model(codes, layers.Reshape(IMAGE_SHAPE)(pixels), name="decoder")
    return assemble(encoder, decoder)


def build_denoising(filters=32):
    """Two convolutions of `filters` each way, with a 7x7x`filters` code."""
    # Encoder
    images = keras.Input(IMAGE_SHAPE, name="images")
    hidden = layers.Reshape(IMAGE_SHAPE + (1,))(images)
    for _ in range(2):
        hidden = _pool()(_conv(filters)(hidden))
    encoder = keras.Model(images, hidden, name="encoder")

    # Decoder
    codes = keras.Input((7, 7, filters), name="codes")
    hidden = codes
    for _ in range(2):
        hidden = _up()(_conv(filters)(hidden))
    pixels = _conv(1, activation="sigmoid")(hidden)
    decoder = keras.Model(codes, layers.Reshape(IMAGE_SHAPE)(pixels), name="decoder")
    return assemble(encoder, decoder)

"""Sequence-to-sequence autoencoder: an image read as 28 steps of 28 pixels.

An LSTM reads the rows into one code vector; the vector is repeated for each
step and a second LSTM, followed by a sigmoid layer per step, writes the rows
back.
"""

import keras
from keras import layers

from ae_core.models.common import IMAGE_SHAPE, assemble


def build_lstm(latent_dim=64, hidden_size=128):
    """LSTM(`latent_dim`) encoder; RepeatVector, LSTM(`hidden_size`) decoder."""
    steps, width = IMAGE_SHAPE

    # Encoder
    images = keras.Input(IMAGE_SHAPE, name="images")
    code = layers.LSTM(latent_dim, name="code")(images)
    encoder = keras.Model(images, code, name="encoder")

    # Decoder
    codes = keras.Input((latent_dim,), name="codes")
    hidden = layers.RepeatVector(steps)(codes)
    hidden = layers.LSTM(hidden_size, return_sequences=True)(hidden)
    rows = layers.Dense(width, activation="sigmoid")(hidden)
    decoder = keras.Model(codes, rows, name="decoder")
    return assemble(encoder, decoder)

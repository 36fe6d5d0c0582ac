"""What every model family shares: the image shape and the assembled model."""

import keras

IMAGE_SHAPE = (28, 28)
PIXELS = 28 * 28
CHANNELS_LAST = "channels_last"


def assemble(encoder, decoder, name="autoencoder"):
    """Chains `encoder` and `decoder` into one functional model.

    The result holds both as named sub-models, so `decoder(encoder(x))` is
    exactly `autoencoder(x)` and both can be taken back out after loading.
    """
    images = keras.Input(IMAGE_SHAPE, name="images")
    return keras.Model(images, decoder(encoder(images)), name=name)

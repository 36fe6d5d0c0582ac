"""Variational autoencoder with a 2-D latent space by default.

Conventions: the encoder outputs `z_mean` and `z_log_var`, the log of the
variance, so the standard deviation is `exp(z_log_var / 2)`. The loss is the
binary cross-entropy summed over the 784 pixels plus the KL divergence to a
unit Gaussian summed over latent dimensions, both averaged over the batch.
At inference the model decodes `z_mean`, so `decoder(encoder(x)[0])` equals
`vae(x)`; sampling happens only in training.
"""

import keras
from keras import layers, ops

from ae_core.models.common import IMAGE_SHAPE, PIXELS


@keras.saving.register_keras_serializable(package="ae_core")
class Sampling(layers.Layer):
    """Draws z = z_mean + exp(z_log_var / 2) * eps with eps ~ N(0, I)."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        eps = keras.random.normal(ops.shape(z_mean), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * eps

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


def kl_divergence(z_mean, z_log_var):
    """KL(N(z_mean, exp(z_log_var)) || N(0, I)), summed over dims, batch mean."""
    per_dim = 1.0 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var)
    return ops.mean(-0.5 * ops.sum(per_dim, axis=-1))


def reconstruction_loss(images, reconstructions):
    """Binary cross-entropy summed over the pixels of each image, batch mean."""
    per_pixel = ops.binary_crossentropy(images, reconstructions)
    return ops.mean(ops.sum(ops.reshape(per_pixel, (-1, PIXELS)), axis=-1))


@keras.saving.register_keras_serializable(package="ae_core")
class VAE(keras.Model):
    """Encoder, sampling and decoder, with the two loss terms tracked apart."""

    def __init__(self, encoder, decoder, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.seed = seed
        self.sampling = Sampling(seed=seed, name="sampling")
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction")
        self.kl_tracker = keras.metrics.Mean(name="kl")

    def build(self, input_shape=None):
        # The encoder and decoder arrive built; sampling has no weights.
        self.built = True

    def call(self, images, training=False):
        z_mean, z_log_var = self.encoder(images, training=training)
        self.add_loss(kl_divergence(z_mean, z_log_var))
        z = self.sampling([z_mean, z_log_var]) if training else z_mean
        return self.decoder(z, training=training)

    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, training=True
    ):
        reconstruction = reconstruction_loss(y, y_pred)
        kl = ops.sum(self.losses)
        self.reconstruction_tracker.update_state(reconstruction)
        self.kl_tracker.update_state(kl)
        return reconstruction + kl

    def get_config(self):
        return {
            **super().get_config(),
            "encoder": keras.saving.serialize_keras_object(self.encoder),
            "decoder": keras.saving.serialize_keras_object(self.decoder),
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        encoder = keras.saving.deserialize_keras_object(config.pop("encoder"))
        decoder = keras.saving.deserialize_keras_object(config.pop("decoder"))
        return cls(encoder, decoder, **config)


def build_vae(latent_dim=2, hidden_size=256, seed=None):
    """784-`hidden_size`-(z_mean, z_log_var) encoder and its mirror decoder."""
    # Encoder
    images = keras.Input(IMAGE_SHAPE, name="images")
    hidden = layers.Dense(hidden_size, activation="relu")(layers.Flatten()(images))
    z_mean = layers.Dense(latent_dim, name="z_mean")(hidden)
    z_log_var = layers.Dense(latent_dim, name="z_log_var")(hidden)
    encoder = keras.Model(images, [z_mean, z_log_var], name="encoder")

    # Decoder
    codes = keras.Input((latent_dim,), name="codes")
    hidden = layers.Dense(hidden_size, activation="relu")(codes)
    pixels = layers.Dense(PIXELS, activation="sigmoid")(hidden)
    decoder = keras.Model(codes, layers.Reshape(IMAGE_SHAPE)(pixels), name="decoder")

    vae = VAE(encoder, decoder, seed=seed, name="vae")
    vae(keras.ops.zeros((1,) + IMAGE_SHAPE))
    return vae

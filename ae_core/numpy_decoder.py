"""A dense decoder's forward pass in numpy, and its layers as plain arrays.

Dragging through a VAE's latent space decodes one point per move. Through
Keras each call waits for TensorFlow's dispatch, and on a server that is
training other users' jobs those waits add up to a tenth of a second or more.
The VAE's decoder is two matrix products. The dashboard sends `dense_layers`
to the browser, which repeats this forward pass there; this module is the
reference it is tested against.
"""

import numpy as np

ACTIVATIONS = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0.0),
    "sigmoid": lambda x: 0.5 * (1.0 + np.tanh(0.5 * x)),  # no overflow
}


class NumpyDecoder:
    """The layers of a Keras decoder made of `Dense` layers and a `Reshape`.

    Build it with `NumpyDecoder.of(decoder)`, which returns `None` for any
    decoder it cannot copy exactly (convolutions, recurrent layers, other
    activations); use the Keras decoder then.
    """

    def __init__(self, dense_layers, output_shape):
        self.dense_layers = dense_layers
        self.output_shape = output_shape

    @classmethod
    def of(cls, decoder):
        dense_layers, output_shape = [], None
        for layer in decoder.layers:
            name = type(layer).__name__
            if name == "InputLayer":
                continue
            if name == "Reshape" and output_shape is None:
                output_shape = tuple(layer.target_shape)
                continue
            if name != "Dense" or output_shape is not None:
                return None
            activation = layer.get_config()["activation"]
            if activation not in ACTIVATIONS:
                return None
            kernel, *bias = (np.asarray(w, np.float32) for w in layer.get_weights())
            dense_layers.append((kernel, bias[0] if bias else 0.0, activation))
        if not dense_layers:
            return None
        return cls(dense_layers, output_shape or (dense_layers[-1][0].shape[1],))

    def __call__(self, codes):
        """Decodes `codes` (n, latent) to images (n, *output_shape)."""
        x = np.asarray(codes, np.float32)
        for kernel, bias, activation in self.dense_layers:
            x = ACTIVATIONS[activation](x @ kernel + bias)
        return x.reshape((len(x), *self.output_shape))

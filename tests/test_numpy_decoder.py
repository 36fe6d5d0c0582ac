"""The numpy copy of a dense decoder decodes exactly as Keras does, or declines."""

import numpy as np
import pytest

from ae_core import models
from ae_core.numpy_decoder import NumpyDecoder


@pytest.mark.parametrize("kind", ["vae", "simple", "deep"])
def test_matches_keras(kind):
    model = models.build(kind)
    decoder = models.decoder_of(model)
    fast = NumpyDecoder.of(decoder)
    assert fast is not None
    width = decoder.input_shape[1]
    codes = np.random.default_rng(0).normal(0, 3, (50, width)).astype(np.float32)
    codes[0] = 200.0  # far out, where a naive sigmoid would overflow
    expected = np.asarray(decoder(codes, training=False))
    with np.errstate(all="raise"):
        got = fast(codes)
    assert got.shape == expected.shape == (50, 28, 28)
    np.testing.assert_allclose(got, expected, atol=1e-5)


@pytest.mark.parametrize("kind", ["conv", "lstm"])
def test_declines_other_layers(kind):
    assert NumpyDecoder.of(models.decoder_of(models.build(kind))) is None

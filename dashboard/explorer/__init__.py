"""The latent explorer: a map of a VAE's codes that decodes points in the browser.

A Streamlit component (`st.components.v2`) draws the test codes on a canvas
beside the decoded digit and two sliders. The page sends the decoder's dense
layers once; after that a click, a drag, an arrow key or a slider decodes its
point in the browser, with the arithmetic of `ae_core.NumpyDecoder`, without a
round trip to the server. A plotly map sent back by the server on every move
took about a second from key press to new digit, and longer the faster a user
moved.
"""

import base64
from pathlib import Path

import numpy as np
import streamlit as st

from ae_core.numpy_decoder import NumpyDecoder
from dashboard import charts

HERE = Path(__file__).parent
STEP = 0.05  # what a slider step or an arrow key moves

_component = st.components.v2.component(
    "latent_explorer",
    html='<div class="explorer-root"></div>',
    css=(HERE / "explorer.css").read_text(),
    js=(HERE / "explorer.js").read_text(),
)


def _base64(array, dtype):
    return base64.b64encode(np.ascontiguousarray(array, dtype).tobytes()).decode()


def _layers(decoder: NumpyDecoder):
    """The dense layers as the component reads them: shapes, activation, base64."""
    layers = []
    for kernel, bias, activation in decoder.dense_layers:
        rows, cols = kernel.shape
        bias = np.broadcast_to(np.asarray(bias, np.float32), (cols,))
        layers.append(
            dict(
                rows=rows,
                cols=cols,
                activation=activation,
                kernel=_base64(kernel, "<f4"),
                bias=_base64(bias, "<f4"),
            )
        )
    return layers


def explorer_data(decoder: NumpyDecoder, codes, labels, limit, extent, storage_key):
    """Everything the component needs, as JSON-ready values."""
    return dict(
        layers=_layers(decoder),
        shape=list(decoder.output_shape),
        codes=_base64(codes, "<f4"),
        labels=_base64(labels, "u1"),
        colours=list(charts.DIGIT_COLOURS),
        limit=float(limit),
        extent=float(extent),
        step=STEP,
        storage_key=storage_key,
    )


def latent_explorer(data, key):
    """Draws the explorer; it keeps its chosen point in the browser tab."""
    _component(data=data, key=key)

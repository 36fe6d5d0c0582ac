"""The VAE's 2-D latent space: grids for the manifold, fast decoding, the map.

A chosen point is decoded by `loaders.point_decoder_of`: numpy for the VAE's
dense decoder. Through Keras, `predict_on_batch` took about 1 ms on an idle
server but 64 to 217 ms while jobs trained beside it; calling the decoder
eagerly, op by op, took 200 ms to over a second there. The manifold, 225
points at once, still goes through Keras.

The map is SVG, not WebGL: every move redraws it with the marker in its new
place, and in headless Chromium, whose WebGL is drawn in software, that took
0.6 s from key press to new digit with WebGL and 0.3 s with SVG.
"""

import time
from statistics import NormalDist

import numpy as np
import plotly.graph_objects as go

from dashboard import charts

GRID_RANGES = {
    "normal": "Normal quantiles, 5% to 95% (default)",
    "post": "-15 to 15, as in the post",
}
PICK_LIMIT = 4.0  # the sliders and the click grid span at least [-4, 4]
CLICK_GRID = 41


def grid_values(n=15, mode="normal"):
    """Coordinates along one axis of the manifold, smallest first."""
    if mode == "normal":
        quantiles = np.linspace(0.05, 0.95, n)
        return np.array([NormalDist().inv_cdf(q) for q in quantiles], np.float32)
    if mode == "post":
        return np.linspace(-15.0, 15.0, n, dtype=np.float32)
    raise ValueError(f"mode must be one of {tuple(GRID_RANGES)}, received {mode!r}.")


def manifold(decoder, values):
    """Decoded digits on the grid `values` x `values`, as (n, n, 28, 28).

    Rows run from the largest z[1] at the top to the smallest at the bottom,
    columns from the smallest z[0] to the largest, as on the map.
    """
    z1, z2 = np.meshgrid(values, values[::-1])
    z = np.stack([z1.ravel(), z2.ravel()], axis=1)
    digits = np.asarray(decoder(z, training=False))
    return digits.reshape(len(values), len(values), 28, 28)


def decode_point(decode, z1, z2):
    """One decoded digit (28, 28) and the milliseconds `decode` took for it."""
    start = time.perf_counter()
    digit = np.asarray(decode(np.array([[z1, z2]], np.float32)))[0]
    return digit, (time.perf_counter() - start) * 1000


def pick_limit(extent, codes=None):
    """How far the sliders, the click grid and the map reach.

    At least `PICK_LIMIT`, the manifold's `extent` and, rounded up, the
    farthest of `codes` from the origin along either axis.
    """
    farthest = 0.0 if codes is None else float(np.ceil(np.abs(codes).max()))
    return max(PICK_LIMIT, float(extent), farthest)


def latent_figure(z_mean, labels, point, extent, limit):
    """z_mean coloured by digit, the chosen point, and the manifold's extent.

    The map and its click grid span `limit` (see `pick_limit`) on both axes.
    """
    title = "z_mean of test digits: click anywhere to decode that point"
    figure = charts.code_map(z_mean, labels, title, height=480, render_mode="svg")
    figure.update_traces(unselected=dict(marker=dict(opacity=0.7)))
    axis = np.linspace(-limit, limit, CLICK_GRID)
    gx, gy = np.meshgrid(axis, axis)
    figure.add_trace(_markers(gx.ravel(), gy.ravel(), "click grid", opacity=0.0))
    figure.add_trace(_markers([point[0]], [point[1]], "chosen point", opacity=1.0))
    figure.add_shape(
        type="rect",
        x0=-extent,
        x1=extent,
        y0=-extent,
        y1=extent,
        line=dict(color="black", width=2, dash="dash"),
        layer="above",
        name="manifold",
    )
    # The axes show the click grid's square and no more, so that every click
    # lands near a grid point; the sliders reach as far.
    reach = [-limit - axis[1] + axis[0], limit + axis[1] - axis[0]]
    figure.update_layout(clickmode="event+select", xaxis_title="z[0]")
    figure.update_xaxes(range=reach, constrain="domain")
    figure.update_yaxes(title_text="z[1]", range=reach, scaleanchor="x")
    return figure


def _markers(x, y, name, opacity):
    chosen = opacity > 0
    return go.Scatter(
        x=x,
        y=y,
        name=name,
        mode="markers",
        showlegend=chosen,
        hoverinfo="x+y" if not chosen else "name",
        marker=dict(
            size=14 if chosen else 8,
            opacity=opacity,
            color="black",
            symbol="x" if chosen else "circle",
        ),
        unselected=dict(marker=dict(opacity=opacity)),
        selected=dict(marker=dict(opacity=opacity)),
    )


def picked_point(selection, limit=PICK_LIMIT):
    """The (z1, z2) of the first selected point, clipped to `limit`, or None."""
    points = (selection or {}).get("selection", {}).get("points", [])
    if not points:
        return None
    x, y = (float(np.clip(points[0][k], -limit, limit)) for k in "xy")
    return round(x, 2), round(y, 2)

"""How codes look: the conv models' codes drawn as grids of channel pictures."""

import math

import numpy as np
import streamlit as st

import ae_core
from dashboard import images, loaders

ACTIVITY_NOTE = (
    "Mean activation: the mean of every code value over the whole test set. A unit "
    "is silent when it stays at or below 0.001 for every test digit. The post's "
    "figures come from 100 epochs of the sparse model with an L1 penalty of 1e-5 "
    "and from the plain 32-unit model; short runs land elsewhere."
)
CODE_HEIGHT = 84  # on-screen pixels at least, as tall as a digit drawn 3 times
DIGIT_FACTOR = 3


def channel_grid(channels):
    """Rows and columns of a near-square grid for `channels` tiles, rows <= columns."""
    rows = max(d for d in range(1, math.isqrt(channels) + 1) if channels % d == 0)
    return rows, channels // rows


def code_picture(code):
    """One code (height, width, channels) as a grid of its channels, one per tile."""
    height, width, channels = code.shape
    rows, columns = channel_grid(channels)
    tiles = np.moveaxis(code, -1, 0).reshape(rows, columns, height, width)
    return images.tile_grid(tiles, gap=1)


def enlargement(picture):
    """The whole factor that draws `picture` at least CODE_HEIGHT pixels tall."""
    return math.ceil(CODE_HEIGHT / picture.shape[0])


def conv_code_rows(choice, x, per_row=5):
    """Digits above their codes, `per_row` digits to a row, then a caption.

    Codes are divided by the largest value among those shown, so the brightest
    code pixel is white; zeros stay black.
    """
    code = ae_core.encode(loaders.run_of(choice).model, x)
    code = code / max(float(code.max()), 1e-6)
    pictures = [code_picture(c) for c in code]
    factor = enlargement(pictures[0])
    for start in range(0, len(x), per_row):
        for column, i in zip(st.columns(per_row), range(start, start + per_row)):
            if i < len(x):
                with column:
                    images.show(x[i], factor=DIGIT_FACTOR)
                    images.show(pictures[i], factor=factor)
    st.caption(_code_caption(code.shape[1:]))


def _code_caption(shape):
    height, width, channels = shape
    rows, columns = channel_grid(channels)
    return (
        f"Each code is {height} x {width} x {channels} values: its {channels} "
        f"channels, each a {height} x {width} picture, in {rows} rows of {columns} "
        "with white lines between them. Code values are not limited to [0, 1]: "
        "they are divided by the largest value shown, which draws white; zeros "
        "draw black."
    )

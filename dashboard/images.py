"""Digits on screen: a fixed grey scale from 0 (black) to 1 (white), upright.

Images are turned into 8-bit grey here, so the browser never rescales their
contrast: a reconstruction that is a grey blur shows as a grey blur.
"""

import numpy as np
import streamlit as st

GAP = 2  # pixels of white between digits, before scaling up


def to_grey(images):
    """Float images in [0, 1] (clipped) to uint8 grey, 0 -> black, 1 -> white."""
    return np.round(np.clip(images, 0.0, 1.0) * 255).astype(np.uint8)


def tile_row(images, gap=GAP):
    """A row of images (n, h, w) side by side, white gaps between them."""
    n, height, width = images.shape
    row = np.full((height, n * width + (n - 1) * gap), 1.0, dtype=np.float32)
    for i, image in enumerate(images):
        start = i * (width + gap)
        row[:, start : start + width] = image
    return row


def tile_grid(images, gap=GAP):
    """A grid (rows, cols, h, w) of images as one picture."""
    rows = [tile_row(row, gap) for row in images]
    spacer = np.ones((gap, rows[0].shape[1]), dtype=np.float32)
    parts = [rows[0]]
    for row in rows[1:]:
        parts += [spacer, row]
    return np.vstack(parts)


def enlarged(image, factor):
    """Nearest-neighbour upscaling, so pixels stay crisp in the browser."""
    return np.repeat(np.repeat(image, factor, axis=0), factor, axis=1)


def show(image, factor=3, caption=None):
    """Draws one float picture in [0, 1] on the fixed grey scale."""
    st.image(to_grey(enlarged(image, factor)), caption=caption)


def image_rows(rows, factor=2):
    """Draws labelled rows of digits; `rows` maps a label to images (n, 28, 28)."""
    for label, images in rows.items():
        name, picture = st.columns([1, 6], vertical_alignment="center")
        name.markdown(label)
        with picture:
            show(tile_row(np.asarray(images)), factor)

"""How codes look: the conv models' 4x4x8 codes drawn as 4x32 pictures."""

import streamlit as st

import ae_core
from dashboard import images, loaders

ACTIVITY_NOTE = (
    "Mean activation: the mean of every code value over the whole test set. A unit "
    "is silent when it stays at or below 0.001 for every test digit. The post's "
    "figures come from 100 epochs of the sparse model with an L1 penalty of 1e-5 "
    "and from the plain 32-unit model; short runs land elsewhere."
)


def conv_code_rows(choice, x, per_row=5):
    """Digits above their codes, each code laid out as height x (width * channels).

    Codes are scaled by the largest value among those shown, so the brightest
    code pixel is white; zeros stay black.
    """
    code = ae_core.encode(loaders.run_of(choice).model, x)
    height, width, channels = code.shape[1:]
    pictures = code.reshape(len(code), height, width * channels)
    pictures = pictures / max(float(pictures.max()), 1e-6)
    for start in range(0, len(x), per_row):
        for column, i in zip(st.columns(per_row), range(start, start + per_row)):
            if i < len(x):
                with column:
                    images.show(x[i], factor=3)
                    images.show(pictures[i], factor=4)
    st.caption(
        f"Each code is {height} x {width} x {channels} values, drawn as a "
        f"{height} x {width * channels} picture: scaled so the largest value shown "
        "is white."
    )

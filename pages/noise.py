"""Noise: clean digits, noisy copies, and what a denoising and a plain model make."""

import math

import streamlit as st

import ae_core
from ae_core import metrics
from dashboard import images, loaders, widgets

widgets.intro(
    "Noise",
    "Test digits get Gaussian noise; the rows show the clean digits, the noisy "
    "ones, the denoising model's output and a plain model's output, each with its "
    "PSNR against the clean digits (higher is closer). Start at 0.5, the level the "
    "denoising model was trained on, then slide to 0 and to 1.",
    "The noise is `noise_factor` times a standard normal value per pixel, clipped "
    "to [0, 1], with a fixed seed so the same slider value gives the same noise. "
    "The plain model never saw noise in training: it tends to reproduce the specks "
    "along with the digit, while the denoising model learned to drop them. Beyond "
    "the training level both degrade; PSNR shows how fast.",
)
data = loaders.dataset()
left, right = st.columns(2)
with left:
    denoiser = widgets.model_picker("Denoising model", ("denoising",), key="noise_dn")
with right:
    plain = widgets.model_picker(
        "Plain model for contrast",
        ae_core.KINDS,
        key="noise_plain",
        default_kind="conv",
    )
noise_factor = st.slider(
    "Noise factor", 0.0, 1.0, 0.5, 0.05, key="noise_factor", persist_state="session"
)
indices = widgets.digit_picker(len(data.x_test), key="noise_digits")

# Rows with their PSNR
clean = data.x_test[indices]
noisy = ae_core.add_noise(clean, noise_factor, seed=1)


def psnr_label(name, row):
    value = metrics.psnr(clean, row)
    text = "identical to clean" if math.isinf(value) else f"PSNR {value:.1f} dB"
    return f"**{name}**  \n{text}"


rows = {"**clean**  \nthe reference": clean, psnr_label("noisy", noisy): noisy}
for choice in (denoiser, plain):
    if choice is not None:
        output = ae_core.reconstruct(loaders.run_of(choice).model, noisy)
        rows[psnr_label(choice.label, output)] = output
images.image_rows(rows)
st.caption("PSNR over the digits shown; the clean row is the reference.")

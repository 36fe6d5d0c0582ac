"""Latent space (VAE): the map of z_mean, a decoded point, and the 15x15 manifold."""

import streamlit as st

import ae_core
from dashboard import explorer, images, latent, loaders, widgets

widgets.intro(
    "Latent space (VAE)",
    "The variational autoencoder squeezes each digit into two numbers. The map "
    "shows where test digits land, coloured by digit. Click or drag anywhere on "
    "it, or move the two sliders, and the digit decoded from that point changes "
    "as you go. Try walking from one cluster to the next.",
    "The map shows `z_mean`, the centre the encoder gives each digit. The manifold "
    "decodes a 15 x 15 grid of points. By default the grid follows the quantiles "
    "of a standard normal, the prior the VAE was trained towards, so every cell "
    "shows a likely digit. The post spread its grid from -15 to 15 instead: almost "
    "all of that square (dashed on the map) lies far outside where digits land, "
    "and the manifold repeats the same few shapes. Your browser decodes the "
    "chosen point itself, with the decoder's weights, so moving costs the server "
    "nothing; click the map first to move the point with the arrow keys (Shift "
    "for bigger steps).",
)
dataset = loaders.dataset()
model_column, range_column = st.columns([2, 3])  # one row: the map fits below
with model_column:
    choice = widgets.model_picker("Model", ("vae",), key="latent_model")
if choice is None:
    st.stop()
model = loaders.run_of(choice).model
decoder = ae_core.models.decoder_of(model)
if ae_core.code_shape(model) != (2,):
    st.info(
        f"This VAE has a {ae_core.code_shape(model)[0]}-D latent space; the map and "
        "manifold need 2-D. Train one with latent size 2 on the Train page."
    )
    st.stop()
fast = loaders.numpy_decoder_of(choice)
if fast is None:
    st.error(
        "This VAE's decoder is not made of dense layers, so it cannot be explored."
    )
    st.stop()
mode = range_column.radio(
    "Manifold range",
    list(latent.GRID_RANGES),
    horizontal=True,
    format_func=latent.GRID_RANGES.get,
    key="latent_range",
    persist_state="session",
)
values = latent.grid_values(15, mode)
z_mean = loaders.codes_of(choice)[:5000]
limit = latent.pick_limit(values[-1], z_mean)
data = explorer.explorer_data(
    fast,
    z_mean,
    dataset.y_test[:5000],
    limit,
    values[-1],
    storage_key=f"latent point: {choice.label}",
)
explorer.latent_explorer(data, key="latent_explorer")
st.subheader("Manifold")
images.show(images.tile_grid(latent.manifold(decoder, values), gap=0), factor=2)

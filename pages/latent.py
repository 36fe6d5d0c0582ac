"""Latent space (VAE): the map of z_mean, a decoded point, and the 15x15 manifold."""

import streamlit as st

import ae_core
from dashboard import images, latent, loaders, widgets

widgets.intro(
    "Latent space (VAE)",
    "The variational autoencoder squeezes each digit into two numbers. The map "
    "shows where test digits land, coloured by digit; click anywhere on it, or move "
    "the two sliders, and the digit decoded from that point appears beside it. "
    "Try walking from one cluster to the next.",
    "The map shows `z_mean`, the centre the encoder gives each digit. The manifold "
    "decodes a 15 x 15 grid of points. By default the grid follows the quantiles "
    "of a standard normal, the prior the VAE was trained towards, so every cell "
    "shows a likely digit. The post spread its grid from -15 to 15 instead: almost "
    "all of that square (dashed on the map) lies far outside where digits land, "
    "and the manifold repeats the same few shapes.",
)
data = loaders.dataset()
choice = widgets.model_picker("Model", ("vae",), key="latent_model")
if choice is None:
    st.stop()
model = loaders.run_of(choice).model
decoder = ae_core.models.decoder_of(model)
decode = loaders.point_decoder_of(choice)
if ae_core.code_shape(model) != (2,):
    st.info(
        f"This VAE has a {ae_core.code_shape(model)[0]}-D latent space; the map and "
        "manifold need 2-D. Train one with latent size 2 on the Train page."
    )
    st.stop()
mode = st.radio(
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
for key in ("latent_z1", "latent_z2"):  # the sliders' value lives here only
    if abs(st.session_state.setdefault(key, 0.0)) > limit:  # the range shrank
        st.session_state[key] = 0.0


def on_pick():
    point = latent.picked_point(st.session_state.get("latent_map"), limit)
    if point is not None:
        st.session_state.latent_z1, st.session_state.latent_z2 = point


@st.fragment
def explorer():
    map_col, digit_col = st.columns([3, 1])
    with digit_col:
        z1 = st.slider(
            "z[0]", -limit, limit, step=0.05, key="latent_z1", persist_state="session"
        )
        z2 = st.slider(
            "z[1]", -limit, limit, step=0.05, key="latent_z2", persist_state="session"
        )
        digit, ms = latent.decode_point(decode, z1, z2)
        images.show(digit, factor=6, caption=f"decoded at ({z1:.2f}, {z2:.2f})")
        st.caption(f"Decoded in {ms:.1f} ms.")
    figure = latent.latent_figure(
        z_mean, data.y_test[:5000], (z1, z2), values[-1], limit
    )
    map_col.plotly_chart(
        figure, key="latent_map", on_select=on_pick, selection_mode="points"
    )


explorer()
st.subheader("Manifold")
images.show(images.tile_grid(latent.manifold(decoder, values), gap=0), factor=2)

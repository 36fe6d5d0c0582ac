"""The autoencoder dashboard: `streamlit run app.py`.

One navigation for all pages; each page lives in `pages/` and keeps to reading
widgets, calling `ae_core` and drawing. Shared helpers are in `dashboard/`.
"""

import streamlit as st

from dashboard import loaders, training, widgets

st.set_page_config(page_title="Autoencoders in Keras", page_icon="🔁", layout="wide")

PAGES = [
    st.Page("pages/reconstructions.py", title="Reconstructions", default=True),
    st.Page("pages/train.py", title="Train"),
    st.Page("pages/noise.py", title="Noise"),
    st.Page("pages/codes.py", title="Codes"),
    st.Page("pages/latent.py", title="Latent space (VAE)", url_path="latent"),
    st.Page("pages/sequences.py", title="Sequences (LSTM)", url_path="sequences"),
]

page = st.navigation(PAGES)
training.keep_job_in_address()
widgets.data_note(loaders.dataset())
page.run()

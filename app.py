"""The autoencoder dashboard: `streamlit run app.py`.

One navigation for all pages; each page lives in `pages/` and keeps to reading
widgets, calling `ae_core` and drawing. Shared helpers are in `dashboard/`.
"""

import streamlit as st

st.set_page_config(page_title="Autoencoders in Keras", page_icon="🔁", layout="wide")

PAGES = [
    st.Page("pages/reconstructions.py", title="Reconstructions", default=True),
    st.Page("pages/train.py", title="Train"),
    st.Page("pages/noise.py", title="Noise"),
    st.Page("pages/codes.py", title="Codes"),
    st.Page("pages/latent.py", title="Latent space (VAE)", url_path="latent"),
    st.Page("pages/sequences.py", title="Sequences (LSTM)", url_path="sequences"),
]

page = st.navigation(PAGES)  # first, so the sidebar is right while loading

# The first visit after the server starts imports TensorFlow and loads MNIST,
# several seconds on a laptop: say so rather than show an empty page. Later
# visits find both loaded, and the spinner does not appear.
with st.spinner("Starting up: loading TensorFlow and MNIST, once per server..."):
    from dashboard import loaders, training, widgets

    data = loaders.dataset()

training.keep_job_in_address()
widgets.data_note(data)
page.run()

"""Reconstructions: test digits, each model's copy of them, and a PCA baseline."""

import streamlit as st

import ae_core
from ae_core import metrics
from dashboard import images, loaders, tables, widgets

PICK_A_MODEL = (
    "Pick at least one model in the list above to see its reconstructions, the "
    "PCA baseline and the scores."
)

widgets.intro(
    "Reconstructions",
    "The top row shows test digits; every row below is one model's attempt to "
    "rebuild them from its code, and the last row is what PCA does with the same "
    "number of values. Try a few seeds first, then compare the blur of the 2-D VAE "
    "with the sharper 128-value convolutional code.",
    "Scores are means over the whole test set: binary cross-entropy per pixel "
    "(the loss the models were trained on) and mean squared error. The compression "
    "factor is 784 pixels divided by the code size. The post notes that a dense "
    "autoencoder with a 32-value code learns much the same as PCA: compare the two "
    "rows, and their scores, for the `simple` model.",
)
data = loaders.dataset()
chosen = widgets.models_picker("Models", ae_core.KINDS, key="rec_models")
indices = widgets.digit_picker(len(data.x_test), key="rec_digits")
x = data.x_test[indices]
if not chosen:
    images.image_rows({"**original**": x})
    if loaders.model_choices(ae_core.KINDS):
        st.info(PICK_A_MODEL)
    st.stop()
sizes = sorted({tables.code_size(loaders.run_of(c).model) for c in chosen})
pca_size = st.selectbox(
    "PCA baseline code size", sizes, index=sizes.index(32) if 32 in sizes else 0
)

# Rows of digits
rows = {"**original**": x}
for choice in chosen:
    rows[choice.label] = ae_core.reconstruct(loaders.run_of(choice).model, x)
rows[f"PCA, {pca_size} components"] = metrics.pca_reconstruct(
    loaders.pca_baseline(pca_size), x
)
images.image_rows(rows)

# Scores on the whole test set
st.subheader("Scores on the whole test set")
st.dataframe(
    tables.score_table(chosen, pca_size),
    hide_index=True,
    column_config=tables.SCORE_COLUMNS,
)

"""Codes: a 2-D map of a model's test codes, code activity, conv codes as images."""

import pandas as pd
import streamlit as st

import ae_core
from dashboard import charts, codes, loaders, projections, tables, widgets

METHOD_NAMES = {"pca": "PCA", "tsne": "t-SNE"}

widgets.intro(
    "Codes",
    "Each dot is one test digit, placed by a 2-D map of the code the model gives "
    "it and coloured by the digit it shows. Start with PCA, which is instant, then "
    "switch to t-SNE to see how well the digits separate in the code space.",
    "t-SNE (scikit-learn, 1,000 iterations, fixed seed, perplexity at most a third "
    "of the sample) keeps neighbours together but distorts distances; PCA keeps "
    "the two directions of largest spread. t-SNE on 2,000 codes takes about ten "
    "seconds on an idle laptop, and grows faster than the sample: keep big samples "
    "for when the server is quiet. Each t-SNE map is kept for the life of the "
    "server. Below the map: for the dense models, how active their codes are; for "
    "the convolutional ones, the codes drawn as pictures.",
)
data = loaders.dataset()
choice = widgets.model_picker("Model", ae_core.KINDS, key="codes_model")
if choice is None:
    st.stop()
method_col, size_col = st.columns(2)
method = method_col.radio(
    "Map",
    list(METHOD_NAMES),
    format_func=METHOD_NAMES.get,
    horizontal=True,
    key="codes_method",
    persist_state="session",
)
n_max = len(data.x_test)
n_samples = size_col.slider(
    "Sample size",
    200,
    n_max,
    min(2000, n_max),
    100,
    key="codes_n",
    persist_state="session",
)

# Map of the codes
indices = loaders.sample_indices(n_max, n_samples, seed=0)
sample = loaders.codes_of(choice)[indices]
coords = projections.project(
    (*loaders.key_of(choice), method, n_samples), sample, method
)
title = f"{METHOD_NAMES[method]} of {n_samples:,} test codes of {choice.label}"
st.altair_chart(charts.code_map(coords, data.y_test[indices], title, indices))
if sample[0].size == 1:
    st.info(
        "This model's code is a single number, so the map can only lay the "
        "digits out along a line."
    )
frame = pd.DataFrame(
    {
        "test_index": indices,
        "digit": data.y_test[indices],
        "x": coords[:, 0],
        "y": coords[:, 1],
    }
)
st.download_button(
    "Download coordinates (CSV)",
    frame.to_csv(index=False),
    file_name=f"{choice.kind}-{method}-{n_samples}.csv",
    mime="text/csv",
    on_click="ignore",
)

# Per kind
if choice.kind in ae_core.DENSE_KINDS:
    st.subheader("Code activity of the dense models")
    st.dataframe(
        tables.activity_table(loaders.model_choices(ae_core.DENSE_KINDS)),
        hide_index=True,
        column_config=tables.ACTIVITY_COLUMNS,
        placeholder="",
    )
    st.caption(codes.ACTIVITY_NOTE)
elif choice.kind in ae_core.CONV_KINDS:
    st.subheader("Codes as pictures")
    codes.conv_code_rows(choice, data.x_test[indices[:10]])

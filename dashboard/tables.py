"""Tables of scores and code statistics, as pandas frames for `st.dataframe`.

Each frame keeps plain numbers; its `*_COLUMNS` mapping, passed as
`column_config`, gives every number column one fixed number of decimals.
"""

import math

import pandas as pd
import streamlit as st

import ae_core
from ae_core import metrics
from dashboard import loaders

# encoded_imgs.mean() over the 10,000 test images, as the 2016 post reports it
POST_MEAN_ACTIVATION = {"simple": 7.30, "sparse": 3.33}

SCORE_COLUMNS = {
    "code size": st.column_config.NumberColumn(format="%d"),
    "compression": st.column_config.NumberColumn(format="%.1fx"),
    "binary cross-entropy": st.column_config.NumberColumn(format="%.4f"),
    "mean squared error": st.column_config.NumberColumn(format="%.4f"),
}
ACTIVITY_COLUMNS = {
    "mean activation": st.column_config.NumberColumn(format="%.2f"),
    "silent units": st.column_config.NumberColumn(format="%.0f%%"),
    "the post's mean": st.column_config.NumberColumn(format="%.2f"),
}


def code_size(model):
    return math.prod(ae_core.code_shape(model))


def score_table(choices, pca_size):
    """One row per model, plus the PCA baseline: code size, compression, errors."""
    rows = []
    for choice in choices:
        shape = ae_core.code_shape(loaders.run_of(choice).model)
        rows.append(_score_row(choice.label, shape, loaders.scores_of(choice)))
    rows.append(_score_row("PCA baseline", (pca_size,), loaders.pca_scores(pca_size)))
    return pd.DataFrame(rows)


def _score_row(label, shape, scores):
    return {
        "model": label,
        "code shape": " x ".join(str(d) for d in shape),
        "code size": math.prod(shape),
        "compression": metrics.compression_factor(shape),
        "binary cross-entropy": scores.binary_crossentropy,
        "mean squared error": scores.mean_squared_error,
    }


def activity_table(choices):
    """Mean code activation and silent units (in %) of dense models, and the post's.

    Models the post gives no figure for have NaN in "the post's mean".
    """
    rows = []
    for choice in choices:
        mean, silent = metrics.code_activity(loaders.codes_of(choice))
        rows.append(
            {
                "model": choice.label,
                "mean activation": mean,
                "silent units": 100 * silent,
                "the post's mean": POST_MEAN_ACTIVATION.get(choice.kind, math.nan),
            }
        )
    return pd.DataFrame(rows)

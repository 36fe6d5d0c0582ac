"""Tables of scores and code statistics, as pandas frames for `st.dataframe`."""

import math

import pandas as pd

import ae_core
from ae_core import metrics
from dashboard import loaders

# encoded_imgs.mean() over the 10,000 test images, as the 2016 post reports it
POST_MEAN_ACTIVATION = {"simple": 7.30, "sparse": 3.33}


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


def _post_mean(kind):
    value = POST_MEAN_ACTIVATION.get(kind)
    return "" if value is None else f"{value:.2f}"


def _score_row(label, shape, scores):
    return {
        "model": label,
        "code shape": " x ".join(str(d) for d in shape),
        "code size": math.prod(shape),
        "compression": f"{metrics.compression_factor(shape):.1f}x",
        "binary cross-entropy": round(scores.binary_crossentropy, 4),
        "mean squared error": round(scores.mean_squared_error, 4),
    }


def activity_table(choices):
    """Mean code activation and silent units of dense models, beside the post's."""
    rows = []
    for choice in choices:
        mean, silent = metrics.code_activity(loaders.codes_of(choice))
        rows.append(
            {
                "model": choice.label,
                "mean activation": round(mean, 2),
                "silent units": f"{silent:.0%}",
                "the post's mean": _post_mean(choice.kind),
            }
        )
    return pd.DataFrame(rows)


def _post_mean(kind):
    value = POST_MEAN_ACTIVATION.get(kind)
    return "" if value is None else f"{value:.2f}"

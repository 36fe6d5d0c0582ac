"""Charts: loss curves in plotly, maps of codes and errors per step in Vega-Lite.

The live loss chart is plotly's. The others are Altair (Vega-Lite) charts: a
page with one opens about a second sooner than with a plotly chart of the same
points, 1.6 s against 2.5 s in `bench/`'s browser, where a page with only an
image takes 1.1 s (`python -m bench.floor`).
"""

import altair as alt
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

TERMS = {"loss": "Total loss", "reconstruction": "Reconstruction", "kl": "KL"}
UNITS = {
    False: "cross-entropy per pixel",
    True: "per digit, summed over pixels",
}
LEGEND_BELOW = dict(orientation="h", yanchor="top", y=-0.25, x=0)
COLOURS = {"train": "#1f77b4", "val": "#ff7f0e", "batch": "#9ecae1"}
FONT = dict(size=14)  # readable on a projector; plotly's default is 12
# plotly's D3 set, as on the loss charts: ten hues and no pale grey
DIGIT_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip
MAX_BATCH_POINTS = 600  # enough for a smooth line; keeps long jobs' charts light


def loss_figure(epochs, batches=(), is_vae=False):
    """Training and validation loss per epoch, with the running batch loss.

    Args:
        epochs: epoch events or history entries: dicts with "epoch", "loss",
            "val_loss" and, for the VAE, "reconstruction" and "kl" (and "val_").
        batches: batch events of the epoch in progress and before: dicts with
            "epoch", "batch", "batches", "loss" and, for the VAE, its terms.
        is_vae: draw the VAE's reconstruction and KL terms in panels of their own.
    """
    terms = list(TERMS) if is_vae else ["loss"]
    figure = make_subplots(
        rows=1, cols=len(terms), subplot_titles=[TERMS[t] for t in terms]
    )
    for col, term in enumerate(terms, start=1):
        first = col == 1
        shown = [b for b in batches if term in b]
        if shown:
            shown = _thinned(shown)
            x = [b["epoch"] - 1 + b["batch"] / b["batches"] for b in shown]
            y = [b[term] for b in shown]
            _line(figure, x, y, "running batch loss", "batch", col, first, dash="dot")
        x = [e["epoch"] for e in epochs]
        for split, prefix in (("train", ""), ("val", "val_")):
            y = [e.get(prefix + term) for e in epochs]
            _line(figure, x, y, f"{split} per epoch", split, col, first, markers=True)
    figure.update_xaxes(title_text="epoch", rangemode="tozero")
    figure.update_yaxes(title_text=UNITS[is_vae], row=1, col=1)
    figure.update_layout(  # room at the top for plotly's toolbar above the titles
        height=364, margin=dict(l=10, r=10, t=64, b=60), legend=LEGEND_BELOW, font=FONT
    )
    return figure


def _thinned(batches):
    """At most about `MAX_BATCH_POINTS` events, evenly spread, the last kept."""
    step = -(-len(batches) // MAX_BATCH_POINTS)
    return list(batches[::step]) + ([batches[-1]] if (len(batches) - 1) % step else [])


def _line(figure, x, y, name, group, col, show_legend, dash=None, markers=False):
    figure.add_trace(
        go.Scatter(
            x=x,
            y=y,
            name=name,
            legendgroup=group,
            showlegend=show_legend,
            mode="lines+markers" if markers else "lines",
            line=dict(color=COLOURS[group], dash=dash),
        ),
        row=1,
        col=col,
    )


# Vega-Lite


def code_map(coords, labels, title, indices=None, height=520):
    """A scatter of 2-D coordinates coloured by digit, with a legend.

    Hovering a point names its digit and, given `indices`, its test index.
    Scroll to zoom, drag to pan, double-click to reset.
    """
    frame = pd.DataFrame({"x": coords[:, 0], "y": coords[:, 1], "digit": labels})
    tooltip = ["digit:N"]
    if indices is not None:
        frame["test index"] = indices
        tooltip.append("test index:Q")
    digits = alt.Scale(domain=list(range(10)), range=list(DIGIT_COLOURS))
    chart = (
        alt.Chart(frame, title=title, height=height)
        .mark_circle(size=18, opacity=0.7)
        .encode(
            x=alt.X("x:Q", title=None),
            y=alt.Y("y:Q", title=None),
            color=alt.Color("digit:N", scale=digits, legend=alt.Legend(columns=1)),
            tooltip=tooltip,
        )
        .interactive()
    )
    return _readable(chart)


def step_error_chart(errors, mean_errors):
    """Error per time step (image row) of one digit, beside the test-set mean."""
    steps = np.arange(1, len(errors) + 1)
    digit = pd.DataFrame({"step": steps, "error": errors, "series": "this digit"})
    mean = pd.DataFrame(
        {"step": steps, "error": mean_errors, "series": "mean over test digits"}
    )
    series = alt.Color(
        "series:N",
        scale=alt.Scale(
            domain=["this digit", "mean over test digits"],
            range=[COLOURS["train"], COLOURS["val"]],
        ),
        legend=alt.Legend(orient="bottom", title=None),
    )
    x = alt.X(
        "step:O",
        title="time step (image row, top to bottom)",
        axis=alt.Axis(labelAngle=0, values=list(range(1, len(errors) + 1, 3))),
    )
    y = alt.Y("error:Q", title="mean squared error")
    tooltip = ["step:O", alt.Tooltip("error:Q", format=".4f"), "series:N"]
    bars = alt.Chart(digit).mark_bar().encode(x, y, color=series, tooltip=tooltip)
    line = (
        alt.Chart(mean)
        .mark_line(point=True)
        .encode(x, y, color=series, tooltip=tooltip)
    )
    return _readable(alt.layer(bars, line).properties(height=340))


def _readable(chart):
    """Fonts big enough for a projector."""
    size = FONT["size"]
    return (
        chart.configure_axis(labelFontSize=size, titleFontSize=size)
        .configure_legend(labelFontSize=size, titleFontSize=size)
        .configure_title(fontSize=size + 2)
    )

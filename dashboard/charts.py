"""Plotly figures: loss curves of a run or a live job, and 2-D maps of codes."""

import pandas as pd
import plotly.express as px
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
    figure.update_layout(
        height=340, margin=dict(l=10, r=10, t=40, b=60), legend=LEGEND_BELOW, font=FONT
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


def code_map(coords, labels, title, height=520, render_mode="auto"):
    """A scatter of 2-D coordinates coloured by digit (a legend, not a colour bar).

    `render_mode` is plotly express's: "auto" draws large maps with WebGL,
    "svg" always as SVG, which redraws faster where WebGL is drawn in software.
    """
    frame = pd.DataFrame(
        {"x": coords[:, 0], "y": coords[:, 1], "digit": labels.astype(str)}
    )
    figure = px.scatter(
        frame,
        x="x",
        y="y",
        color="digit",
        category_orders={"digit": [str(d) for d in range(10)]},
        color_discrete_sequence=px.colors.qualitative.D3,  # no pale grey
        title=title,
        height=height,
        render_mode=render_mode,
    )
    figure.update_traces(marker=dict(size=4, opacity=0.7))
    figure.update_layout(
        margin=dict(l=10, r=10, t=40, b=10), legend_itemsizing="constant", font=FONT
    )
    return figure


def step_error_figure(errors, mean_errors):
    """Error per time step (image row) of one digit, beside the test-set mean."""
    steps = list(range(1, len(errors) + 1))
    figure = go.Figure()
    figure.add_trace(go.Bar(x=steps, y=errors, name="this digit"))
    figure.add_trace(
        go.Scatter(
            x=steps,
            y=mean_errors,
            name="mean over test digits",
            mode="lines+markers",
            line=dict(color=COLOURS["val"]),
        )
    )
    figure.update_layout(
        xaxis_title="time step (image row, top to bottom)",
        yaxis_title="mean squared error",
        height=340,
        margin=dict(l=10, r=10, t=30, b=60),
        legend=LEGEND_BELOW,
        font=FONT,
    )
    return figure

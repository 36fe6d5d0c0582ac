"""A page with one thing on it, for `bench.floor`: `?kind=image|plotly|altair`."""

import altair as alt
import numpy as np
import pandas as pd
import plotly.express as px
import streamlit as st

kind = st.query_params.get("kind", "image")
rng = np.random.default_rng(0)
points = pd.DataFrame(
    {
        "x": rng.normal(size=2000),
        "y": rng.normal(size=2000),
        "digit": rng.integers(0, 10, 2000).astype(str),
    }
)
if kind == "plotly":
    st.plotly_chart(px.scatter(points, x="x", y="y", color="digit"))
elif kind == "altair":
    chart = alt.Chart(points).mark_circle().encode(x="x", y="y", color="digit:N")
    st.altair_chart(chart)
else:
    st.image(np.zeros((100, 100), np.uint8))

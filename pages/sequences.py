"""Sequences (LSTM): a digit read row by row, its reconstruction, error per step."""

import streamlit as st

import ae_core
from dashboard import charts, images, loaders, widgets

widgets.intro(
    "Sequences (LSTM)",
    "The LSTM autoencoder reads a digit as a sequence of 28 rows, top to bottom, "
    "squeezes the whole sequence into one vector and writes the rows back out. "
    "Pick a digit to see the input beside the reconstruction, and which time steps "
    "(rows) the model gets wrong.",
    "The encoder is an LSTM that keeps only its last state; the decoder repeats "
    "that vector 28 times and runs a second LSTM over it. The bars are this "
    "digit's squared error per row; the line is the mean over the first 1,000 test "
    "digits. Rows near the top and bottom are mostly blank and easy; the middle "
    "rows, where strokes cross, carry most of the error.",
)
data = loaders.dataset()
choice = widgets.model_picker("Model", ("lstm",), key="seq_model")
if choice is None:
    st.stop()
last = len(data.x_test) - 1
index = st.number_input(
    f"Test digit, 0 to {last}", None, None, 0, key="seq_index", persist_state="session"
)
if not 0 <= index <= last:  # unbounded input: its own red mark said too little
    shown = min(max(index, 0), last)
    st.warning(
        f"The test set has {last + 1} digits, 0 to {last}: showing digit {shown}."
    )
    index = shown
x = data.x_test[index : index + 1]
x_hat = ae_core.reconstruct(loaders.run_of(choice).model, x)

# Input and reconstruction
left, right, errors_col = st.columns([1, 1, 3])
with left:
    images.show(x[0], factor=6, caption=f"input, digit {data.y_test[index]}")
with right:
    images.show(x_hat[0], factor=6, caption="reconstruction")

# Error per time step
errors = loaders.row_errors(x, x_hat)[0]
errors_col.altair_chart(
    charts.step_error_chart(errors, loaders.mean_row_errors(choice))
)

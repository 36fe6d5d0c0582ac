"""Small widget groups shared by the pages; each returns the values it reads."""

import numpy as np
import streamlit as st
from streamlit import config

try:  # an internal name: if a later Streamlit moves it, the workaround is off
    from streamlit.runtime.pages_manager import PagesManager
except ImportError:
    PagesManager = None

from dashboard import loaders

N_DIGITS = 10


# Introduction and sidebar


def intro(title, summary, notes=None):
    """The page title, two or three sentences on what to look at, longer notes.

    Every page calls this first, so it also sends a page that Streamlit ran on
    its own back through `app.py` (see `_require_entrypoint`).
    """
    _require_entrypoint()
    st.title(title)
    st.markdown(summary)
    if notes:
        with st.expander("About this page"):
            st.markdown(notes)


def _require_entrypoint():
    # A fresh server whose first request is a page's own URL runs that file
    # directly, the old way for apps with a pages/ folder, and keeps doing so
    # until some run calls st.navigation (see streamlit/streamlit#10276). Turn
    # that mode off and rerun, so app.py and its navigation take over. AppTest
    # starts every run in that mode; there a rerun would drop button clicks.
    if not getattr(PagesManager, "uses_pages_directory", False):
        return
    if not config.get_option("global.appTest"):
        PagesManager.uses_pages_directory = False
        st.rerun()


def data_note(data):
    """Says in the sidebar which data the app runs on, and when it is the sample."""
    if data.is_sample:
        st.sidebar.info(
            f"Running on the bundled MNIST sample ({len(data.x_train):,} training "
            f"and {len(data.x_test):,} test digits), not the full data set. Set "
            "AE_DATA_DIR to a folder with mnist.npz to use all of MNIST."
        )
    else:
        st.sidebar.caption(f"Data: MNIST, {len(data.x_test):,} test digits.")


# Models


def model_picker(label, kinds, key, default_kind=None):
    """One model of the given kinds, or None after saying that there is none."""
    choices = loaders.model_choices(kinds)
    if not choices:
        st.info(_no_model_sentence(kinds))
        return None
    index = next((i for i, c in enumerate(choices) if c.kind == default_kind), 0)
    return st.selectbox(
        label,
        choices,
        index=index,
        format_func=lambda c: c.label,
        key=key,
        persist_state="session",
    )


def models_picker(label, kinds, key):
    """Several models (all pretrained ones by default), or [] after saying so."""
    choices = loaders.model_choices(kinds)
    if not choices:
        st.info(_no_model_sentence(kinds))
        return []
    default = [c for c in choices if c.job_id is None]
    return st.multiselect(
        label,
        choices,
        default=default,
        format_func=lambda c: c.label,
        key=key,
        persist_state="session",
    )


def _no_model_sentence(kinds):
    names = ", ".join(kinds)
    return (
        f"No trained model of the kind {names} is available yet: train one on the "
        "Train page, or add pretrained models to assets/pretrained/."
    )


# Digits


def digit_picker(n_test, key, n_digits=N_DIGITS):
    """Test-set indices chosen at random with a seed, or typed in by hand."""
    how, value = st.columns([1, 2])
    mode = how.radio(
        "Digits",
        ["Random", "By index"],
        horizontal=True,
        key=f"{key}_mode",
        persist_state="session",
    )
    if mode == "Random":
        seed = value.number_input(
            "Seed", 0, None, 0, key=f"{key}_seed", persist_state="session"
        )
        return loaders.sample_indices(n_test, n_digits, int(seed))
    text = value.text_input(
        f"Test indices, 0 to {n_test - 1}, separated by commas",
        "0, 1, 2, 3, 4, 5, 6, 7, 8, 9",
        key=f"{key}_indices",
        persist_state="session",
    )
    return _parsed_indices(text, n_test)


def _parsed_indices(text, n_test):
    parts = [part for part in text.replace(" ", "").split(",") if part]
    indices = [int(part) for part in parts if part.isdigit()]  # "x", "3.0": out
    valid = [i for i in indices if i < n_test][:20]
    if not valid:
        st.warning(
            f"No test index found: type whole numbers from 0 to {n_test - 1}, "
            "separated by commas. Showing test digit 0 meanwhile."
        )
    elif len(valid) < len(parts):
        st.warning(
            f"Use whole numbers from 0 to {n_test - 1}, at most 20; "
            "the others were left out."
        )
    return np.array(valid or [0])

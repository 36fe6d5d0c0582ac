"""Every page of the dashboard under Streamlit's AppTest, on the bundled sample.

The pages use the pretrained models in assets/pretrained/ when all seven are
there; otherwise tiny stand-ins trained here for one epoch on 200 digits. The
train page runs a real, small job in the job runner's own process.
"""

import base64
import gc
import json
import os
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import ae_core

APP = Path(__file__).resolve().parent.parent / "app.py"
FIRST_RUN_SECONDS = 120  # TensorFlow's import and seven model loads, cold
JOB_SECONDS = 180


@pytest.fixture(scope="module")
def pretrained_dir(tmp_path_factory):
    if all(
        (ae_core.PRETRAINED_DIR / k / "model.keras").is_file() for k in ae_core.KINDS
    ):
        return ae_core.PRETRAINED_DIR
    folder = tmp_path_factory.mktemp("pretrained")
    sample = ae_core.load_sample()
    for kind in ae_core.KINDS:
        spec = ae_core.TrainSpec(kind, epochs=1, train_size=200, batch_size=50)
        ae_core.train(spec, run_dir=folder / kind, dataset=sample)
    return folder


@pytest.fixture(scope="module", autouse=True)
def dashboard_env(pretrained_dir, tmp_path_factory):
    """Sample data, the chosen models, a fresh runs folder and empty caches."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AE_SAMPLE", "1")
        patch.setenv("AE_PRETRAINED_DIR", str(pretrained_dir))
        patch.setenv("AE_RUNS_DIR", str(tmp_path_factory.mktemp("runs")))
        st.cache_resource.clear()
        st.cache_data.clear()
        yield
    st.cache_resource.clear()
    st.cache_data.clear()


def open_page(page=None):
    at = AppTest.from_file(APP, default_timeout=FIRST_RUN_SECONDS).run()
    if page is not None:
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def images_of(at):
    return at.get("image")


def plotly_traces(at, index=0):
    return json.loads(at.get("plotly_chart")[index].proto.spec)["data"]


def values(trace, axis):
    """A trace's values along `axis`, decoding plotly's base64 arrays."""
    data = trace.get(axis, [])
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"])
    return np.asarray(data)


def n_points(traces, name=None):
    return sum(len(values(t, "x")) for t in traces if name in (None, t.get("name")))


def texts(at):
    return " ".join(m.value for m in [*at.markdown, *at.caption, *at.info])


def record_image_shapes(monkeypatch):
    """Shapes of the arrays the pages pass to `st.image`, in drawing order."""
    shapes = []
    draw = st.image

    def recording(image, *args, **kwargs):
        shapes.append(np.shape(image)[:2])
        return draw(image, *args, **kwargs)

    monkeypatch.setattr(st, "image", recording)
    return shapes


def number_formats(dataframe):
    """The printf format of each number column set in a dataframe's column config."""
    columns = json.loads(dataframe.proto.columns)  # also the hidden index
    return {
        name: config["type_config"]["format"]
        for name, config in columns.items()
        if "type_config" in config
    }


# Pages that show pretrained models


def test_app_opens_on_reconstructions_and_notes_the_sample():
    at = open_page()

    assert at.title[0].value == "Reconstructions"
    assert "bundled MNIST sample" in at.sidebar.info[0].value
    assert len(images_of(at)) == 1 + len(ae_core.KINDS) + 1  # originals, 7, PCA
    scores = at.dataframe[0].value
    assert list(scores["model"])[-1] == "PCA baseline"
    assert len(scores) == len(ae_core.KINDS) + 1
    assert (
        (scores["binary cross-entropy"] > 0) & (scores["mean squared error"] > 0)
    ).all()
    assert scores.loc[
        scores["model"] == "simple (pretrained)", "compression"
    ].item() == pytest.approx(24.5)
    assert number_formats(at.dataframe[0]) == {
        "code size": "%d",
        "compression": "%.1fx",
        "binary cross-entropy": "%.4f",
        "mean squared error": "%.4f",
    }


def test_reconstructions_by_index_and_fewer_models():
    at = open_page()
    models = at.multiselect(key="rec_models")
    models.set_value(models.value[:1])
    at.radio(key="rec_digits_mode").set_value("By index").run()
    at.text_input(key="rec_digits_indices").input("3, 5, 99999").run()

    assert not at.exception
    assert "the others were left out" in at.warning[0].value
    assert len(images_of(at)) == 3  # originals, one model, PCA
    assert len(at.dataframe[0].value) == 2

    at.text_input(key="rec_digits_indices").input("1, 2, x, 3.0").run()
    assert "the others were left out" in at.warning[0].value  # 1 and 2 are kept

    at.text_input(key="rec_digits_indices").input("abc; 1;2").run()
    assert "No test index found" in at.warning[0].value
    assert len(images_of(at)) == 3  # digit 0 meanwhile

    at.multiselect(key="rec_models").set_value([]).run()
    assert len(images_of(at)) == 1  # the originals only
    assert "Pick at least one model" in at.info[0].value
    assert not at.dataframe


def test_noise_page_scores_each_row():
    at = open_page("noise")

    assert len(images_of(at)) == 4  # clean, noisy, denoising, plain
    labels = [m.value for m in at.markdown if m.value.startswith("**")]
    assert len(labels) == 4 and all("PSNR" in label for label in labels[1:])
    at.slider(key="noise_factor").set_value(0.0).run()
    noisy_label = next(m.value for m in at.markdown if m.value.startswith("**noisy**"))
    assert noisy_label.endswith("identical to clean")  # not "PSNR inf dB"


def vega_chart(at, index=0):
    """A Vega-Lite chart's points, all layers in one data frame, and its spec."""
    chart = at.get("vega_lite_chart")[index].proto
    frames = [pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.datasets]
    return pd.concat(frames, ignore_index=True), json.loads(chart.spec)


def test_codes_page_maps_every_sampled_code():
    at = open_page("codes")

    points, spec = vega_chart(at)
    assert len(points) == 1000  # the sample's whole test set
    assert sorted(points["digit"].unique()) == list(range(10))
    assert spec["encoding"]["color"]["field"] == "digit"
    assert np.isfinite(points[["x", "y"]].to_numpy()).all()
    activity = at.dataframe[0].value
    assert list(activity["the post's mean"][:2]) == [7.30, 3.33]
    assert set(number_formats(at.dataframe[0]).values()) == {"%.2f", "%.0f%%"}
    assert at.radio(key="codes_method").options == ["PCA", "t-SNE"]
    assert len(at.get("download_button")) == 1


def test_codes_page_tsne_on_a_small_sample_and_conv_codes():
    at = open_page("codes")
    at.selectbox(key="codes_model").select_index(3)  # conv (pretrained)
    at.radio(key="codes_method").set_value("tsne")
    at.slider(key="codes_n").set_value(200).run()

    assert not at.exception
    points, spec = vega_chart(at)
    assert len(points) == 200
    assert spec["title"].startswith("t-SNE of 200")
    assert len(images_of(at)) == 2 * 10  # ten digits above their codes
    assert "8 channels, each a 4 x 4 picture" in texts(at)


@pytest.mark.parametrize("index", [3, 4])  # conv, denoising
def test_codes_page_draws_conv_codes_as_tall_as_digits(monkeypatch, index):
    shapes = record_image_shapes(monkeypatch)
    at = open_page("codes")
    at.selectbox(key="codes_model").select_index(index).run()

    digits, codes = shapes[-20:][0::2], shapes[-20:][1::2]
    assert all(height == 84 for height, width in digits)
    assert all(84 <= height <= 120 and width <= 200 for height, width in codes)


def explorer_data(at):
    """The data the latent page sends to its explorer in the browser."""
    return json.loads(at.get("bidi_component")[0].proto.json)


def from_base64(text, dtype):
    return np.frombuffer(base64.b64decode(text), dtype)


def decoded_from(data, point):
    """What the explorer computes, from the data it receives: dense layers."""
    x = np.asarray([point], np.float32)
    for layer in data["layers"]:
        kernel = from_base64(layer["kernel"], "<f4").reshape(layer["rows"], -1)
        x = x @ kernel + from_base64(layer["bias"], "<f4")
        x = 1 / (1 + np.exp(-x)) if layer["activation"] == "sigmoid" else x
        x = np.maximum(x, 0) if layer["activation"] == "relu" else x
    return x.reshape(data["shape"])


def test_latent_page_sends_the_browser_the_vaes_own_decoder(pretrained_dir):
    at = open_page("latent")
    data = explorer_data(at)
    vae = ae_core.load_run(pretrained_dir / "vae").model
    decoder = ae_core.models.decoder_of(vae)

    for point in [(0.0, 0.0), (1.5, -0.5), (-3.0, 2.5)]:
        expected = np.asarray(decoder(np.array([point], np.float32)))[0]
        assert np.abs(decoded_from(data, point) - expected).max() < 1e-4
    assert "Manifold" in [h.value for h in at.subheader]


def test_latent_explorer_shows_every_code_within_its_range():
    at = open_page("latent")
    data = explorer_data(at)
    codes = from_base64(data["codes"], "<f4").reshape(-1, 2)
    labels = from_base64(data["labels"], "u1")

    assert len(codes) == len(labels) == min(5000, len(ae_core.load_sample().y_test))
    assert set(labels) <= set(range(10)) and len(data["colours"]) == 10
    assert np.abs(codes).max() <= data["limit"] and data["limit"] >= 4
    assert data["extent"] == pytest.approx(1.645, abs=1e-3)  # the normal's 95%
    at.radio(key="latent_range").set_value("post").run()
    assert not at.exception
    assert explorer_data(at)["extent"] == explorer_data(at)["limit"] == 15


def test_sequences_page_shows_errors_per_step():
    at = open_page("sequences")

    assert len(images_of(at)) == 2
    points, spec = vega_chart(at)
    assert sorted(points["series"].unique()) == ["mean over test digits", "this digit"]
    for _, rows in points.groupby("series"):
        assert list(rows["step"]) == list(range(1, 29))
        assert np.isfinite(rows["error"]).all() and (rows["error"] >= 0).all()


def test_sequences_page_explains_an_index_past_the_last_digit():
    at = open_page("sequences")
    last = len(ae_core.load_sample().y_test) - 1
    at.number_input(key="seq_index").set_value(last + 500).run()

    assert not at.exception
    assert [w.value for w in at.warning] == [
        f"The test set has {last + 1} digits, 0 to {last}: showing digit {last}."
    ]
    assert len(images_of(at)) == 2
    at.number_input(key="seq_index").set_value(-5).run()
    assert [w.value for w in at.warning] == [
        f"The test set has {last + 1} digits, 0 to {last}: showing digit 0."
    ]


def test_train_page_without_a_job_shows_the_pretrained_history():
    at = open_page("train")

    assert at.button[0].label == "Start training"
    assert not at.button[0].disabled
    assert n_points(plotly_traces(at), "train per epoch") >= 1


def test_any_page_forgets_unknown_jobs_in_the_url():
    at = AppTest.from_file(APP, default_timeout=FIRST_RUN_SECONDS)
    at.query_params["job"] = "not-a-job-id-1234"
    at.query_params["jobs"] = "not-a-job-id-1234,nor-this-one"
    at.run()  # the Reconstructions page

    assert [w.value for w in at.warning if "has no job with the id" in w.value]
    assert "job" not in at.query_params and "jobs" not in at.query_params
    at.switch_page("pages/train.py").run()
    assert not at.warning  # said once


# A real job


def poll(at, done, seconds=JOB_SECONDS):
    """Reruns the page until `done(at)` holds, for at most `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        if done(at):
            return at
    raise AssertionError(f"condition not met within {seconds} s: {texts(at)}")


def test_train_form_follows_the_kind_and_preset_and_clips_what_it_cannot_take():
    at = open_page("train")
    at.selectbox(key="train_kind").set_value("conv").run()
    conv = ae_core.TrainSpec("conv", "fast").resolved()
    assert at.number_input(key="train_epochs_conv_fast").value == conv.epochs
    assert at.number_input(key="train_size_conv").value == 3000
    at.selectbox(key="train_preset").set_value("paper").run()
    paper = ae_core.TrainSpec("conv", "paper").resolved()
    assert at.number_input(key="train_epochs_conv_paper").value == paper.epochs
    assert at.number_input(key="train_batch_conv_paper").value == paper.batch_size

    at.number_input(key="train_epochs_conv_paper").set_value(5000)
    at.number_input(key="train_lr_conv_paper").set_value(-1.0).run()
    assert [w.value for w in at.warning] == [
        "Epochs must be from 1 to 1,000: using 1,000.",
        f"The learning rate must be above 0: using the preset's, "
        f"{paper.learning_rate:g}.",
    ]
    at.selectbox(key="train_kind").set_value("simple").run()  # its own values
    assert at.number_input(key="train_size_simple").value == 5000  # the sample's
    at.selectbox(key="train_kind").set_value("conv").run()  # kept for conv
    assert at.number_input(key="train_epochs_conv_paper").value == 5000


def start_button(at):
    return next(b for b in at.button if b.label == "Start training")


def epochs_drawn(at):
    traces = plotly_traces(at) if at.get("plotly_chart") else []
    return n_points(traces, "train per epoch")


@pytest.mark.slow
def test_train_page_runs_and_stops_a_real_job():
    at = open_page("train")
    at.number_input(key="train_epochs_simple_fast").set_value(50)
    at.number_input(key="train_size_simple").set_value(1000)
    at.number_input(key="train_lr_simple_fast").set_value(0.001)
    start_button(at).click().run()

    job_id = at.session_state["train_job"]
    saved = json.loads(
        (Path(os.environ["AE_RUNS_DIR"]) / job_id / "spec.json").read_text()
    )
    assert saved["learning_rate"] == 0.001
    assert at.query_params["job"] == job_id
    assert start_button(at).disabled  # no second job from a second click
    settings = [c.value for c in at.caption if c.value.startswith("Settings:")]
    assert "50 epochs" in settings[0] and "1,000 training images" in settings[0]
    assert "learning rate 0.001" in settings[0]
    poll(at, lambda at: epochs_drawn(at) >= 1)

    # A rerun while training restarts nothing
    runs = Path(os.environ["AE_RUNS_DIR"])
    at.number_input(key="train_batch_simple_fast").set_value(64).run()
    assert at.session_state["train_job"] == job_id
    assert [p.name for p in runs.iterdir()] == [job_id]
    assert start_button(at).disabled

    at.button(key="stop_job").click().run()
    poll(at, lambda at: "stopped" in at.subheader[0].value, seconds=30)
    kept = int(re.search(r"Stopped after epoch (\d+)", at.info[-1].value).group(1))
    assert len(at.get("download_button")) == 1
    assert not start_button(at).disabled

    # Resume goes on from the kept epoch, in the same job
    resume = at.button(key="resume_job")
    assert resume.label == f"Resume training (epochs {kept + 1} to 50)"
    resume.click().run()
    assert "queued" in at.subheader[0].value or "running" in at.subheader[0].value
    assert start_button(at).disabled
    poll(at, lambda at: epochs_drawn(at) > kept)
    at.button(key="stop_job").click().run()
    poll(at, lambda at: "stopped" in at.subheader[0].value, seconds=30)

    # This session offers the job's model; another session does not see it
    at.switch_page("pages/reconstructions.py").run()
    assert at.query_params["job"] == job_id  # a reload here keeps the job
    assert any(job_id[:6] in o for o in at.multiselect[0].options)
    other = open_page("reconstructions")
    assert not any("job" in o for o in other.multiselect[0].options)

    # A reload keeps offering every job of the session, listed in the address
    assert at.query_params["jobs"] == job_id
    reloaded = AppTest.from_file(APP, default_timeout=FIRST_RUN_SECONDS)
    reloaded.query_params["jobs"] = f"{job_id},not-a-job-id-1234"
    reloaded.run()
    assert any(job_id[:6] in o for o in reloaded.multiselect[0].options)
    assert reloaded.query_params["jobs"] == job_id


def test_loaded_models_are_kept_out_of_the_collectors_passes():
    # Streamlit collects garbage after every script run (twice, with Keras
    # loaded); with TensorFlow and the models still in sight of the collector
    # each pass walked hundreds of thousands of objects.
    open_page("latent")
    assert gc.get_freeze_count() > 2 * len(gc.get_objects())


def test_choices_survive_a_visit_to_another_page():
    at = open_page("codes")
    at.selectbox(key="codes_model").select_index(2).run()  # deep (pretrained)
    at.slider(key="codes_n").set_value(500).run()
    at.switch_page("pages/train.py").run()
    at.selectbox(key="train_kind").set_value("vae").run()
    at.switch_page("pages/noise.py").run()
    at.switch_page("pages/codes.py").run()

    assert not at.exception
    assert at.selectbox(key="codes_model").value.kind == "deep"
    assert at.slider(key="codes_n").value == 500
    assert len(vega_chart(at)[0]) == 500
    at.switch_page("pages/train.py").run()
    assert at.selectbox(key="train_kind").value == "vae"

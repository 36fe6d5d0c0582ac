"""The Train page's parts: the settings form, the job id's home, the live panel.

Training runs in the job runner's own process. This module only submits,
polls, stops and draws: the panel is a fragment that reruns itself every
second while the job is queued or running, always in the script thread.
"""

import streamlit as st

import ae_core
from dashboard import charts, loaders

ACTIVE = ("queued", "running")
KEEP = dict(persist_state="session")  # a choice outlives a visit to another page
POLL_SECONDS = 1.0
STOP_WAIT_SECONDS = 2.0  # a job gets 1 s to end on its own, then is ended
JOB_KEY, JOB_PARAM = "train_job", "job"
JOBS_PARAM = "jobs"  # every job of the session, so a reload keeps their models
MAX_LISTED_JOBS = 20
# Images per epoch on a 2-core CPU, chosen so an epoch takes a few seconds.
CPU_TRAIN_SIZE = {
    "simple": 20_000,
    "sparse": 20_000,
    "deep": 10_000,
    "conv": 3_000,
    "denoising": 3_000,
    "lstm": 3_000,
    "vae": 10_000,
}


# The job id, in the session and in the URL


def current_job(runner):
    """The id of this session's job, from the session or the page's URL."""
    job_id = st.session_state.get(JOB_KEY) or st.query_params.get(JOB_PARAM)
    if job_id is None:
        return None
    if not _exists(runner, job_id):
        _say_unknown_job()
        forget_job()
        return None
    remember(job_id)
    return job_id


def _say_unknown_job():
    st.warning(
        "This server has no job with the id in this page's address: it may "
        "have been removed, or the address was copied wrongly."
    )


def keep_job_in_address():
    """Keeps the session's jobs in the URL on every page, so a reload keeps them.

    `job` is the one the Train page shows; `jobs` lists all of the session's,
    whose models the other pages offer.
    """
    runner = loaders.job_runner()
    mine = st.session_state.setdefault(loaders.MY_JOBS, [])
    for job_id in st.query_params.get(JOBS_PARAM, "").split(","):
        if job_id and job_id not in mine and _exists(runner, job_id):
            mine.append(job_id)
    job_id = st.session_state.get(JOB_KEY)
    if job_id is None:
        job_id = st.query_params.get(JOB_PARAM)
        if job_id is not None and _exists(runner, job_id):
            remember(job_id)
        elif job_id is not None:  # said on whichever page the link opens
            _say_unknown_job()
            forget_job()
    elif st.query_params.get(JOB_PARAM) != job_id:
        st.query_params[JOB_PARAM] = job_id
    _list_jobs(mine)


def _list_jobs(mine):
    listed = ",".join(mine[-MAX_LISTED_JOBS:])
    if not listed:
        st.query_params.pop(JOBS_PARAM, None)  # ids of no job here: drop them
    elif st.query_params.get(JOBS_PARAM) != listed:
        st.query_params[JOBS_PARAM] = listed


def _exists(runner, job_id):
    try:
        runner.status(job_id)
    except ValueError:
        return False
    return True


def remember(job_id):
    st.session_state[JOB_KEY] = job_id
    st.query_params[JOB_PARAM] = job_id
    mine = st.session_state.setdefault(loaders.MY_JOBS, [])
    if job_id not in mine:
        mine.append(job_id)
    _list_jobs(mine)


def forget_job():
    st.session_state.pop(JOB_KEY, None)
    st.query_params.pop(JOB_PARAM, None)


def is_active(runner, job_id):
    return job_id is not None and runner.status(job_id)["state"] in ACTIVE


# Settings


def spec_form(n_train, has_gpu, disabled):
    """The training settings; returns a `TrainSpec` when Start is clicked."""
    top = st.columns(4)
    kind = top[0].selectbox(
        "Kind", ae_core.KINDS, key="train_kind", persist_state="session"
    )
    preset = top[1].selectbox(
        "Preset", ae_core.PRESETS, index=1, key="train_preset", persist_state="session"
    )
    recipe = ae_core.TrainSpec(kind, preset).resolved()
    size = n_train if has_gpu else min(CPU_TRAIN_SIZE[kind], n_train)
    # Keys name the kind and preset: each pair has its own defaults, and a
    # value typed for one is kept for it when the user comes back to it.
    # No bounds on the inputs: Streamlit drops a value past them without a
    # word, so `_within` clips it and says so.
    pair = f"{kind}_{preset}"
    epochs = top[2].number_input(
        "Epochs", None, None, recipe.epochs, key=f"train_epochs_{pair}", **KEEP
    )
    batch = top[3].number_input(
        "Batch size", None, None, recipe.batch_size, key=f"train_batch_{pair}", **KEEP
    )
    bottom = st.columns(4)
    train_size = bottom[0].number_input(
        "Training images", None, None, size, 500, key=f"train_size_{kind}", **KEEP
    )
    learning_rate = bottom[3].number_input(
        "Learning rate",
        None,
        None,
        recipe.learning_rate,
        recipe.learning_rate / 4,  # the step: its -/+ buttons stay usable
        format="%g",
        key=f"train_lr_{pair}",
        help="Lower it if a run diverges; the preset's value is the default.",
        **KEEP,
    )
    extra = {}
    if kind == "denoising":
        extra["noise_factor"] = bottom[1].slider(
            "Noise factor", 0.0, 1.0, 0.5, 0.05, key="train_noise", **KEEP
        )
    if kind == "vae":
        latent = bottom[1].number_input(
            "Latent size", None, None, recipe.latent_dim, key="train_latent", **KEEP
        )
        extra["latent_dim"] = _within(latent, 1, 64, "The latent size")
    epochs = _within(epochs, 1, 1000, "Epochs")
    batch = _within(batch, 1, 4096, "The batch size")
    train_size = _within(train_size, 100, n_train, "Training images")
    if learning_rate <= 0:
        st.warning(
            f"The learning rate must be above 0: using the preset's, "
            f"{recipe.learning_rate:g}."
        )
        learning_rate = recipe.learning_rate
    clicked = st.button("Start training", type="primary", disabled=disabled)
    if not clicked:
        return None
    return ae_core.TrainSpec(
        kind,
        preset,
        epochs=int(epochs),
        batch_size=int(batch),
        train_size=int(train_size),
        learning_rate=float(learning_rate),
        **extra,
    )


def _within(value, low, high, name):
    """`value` clipped to [low, high], with a sentence when it had to be."""
    clipped = min(max(value, low), high)
    if clipped != value:
        st.warning(f"{name} must be from {low:,} to {high:,}: using {clipped:,}.")
    return clipped


# The job


def job_panel(runner, job_id):
    """The job's progress, loss chart and outcome; live while it is active."""
    if runner.status(job_id)["state"] in ACTIVE:
        _live_panel(runner, job_id)
    else:
        _draw_job(runner, job_id)


@st.fragment(run_every=POLL_SECONDS)
def _live_panel(runner, job_id):
    status = _draw_job(runner, job_id)
    if status["state"] not in ACTIVE:
        st.rerun(scope="app")  # enable Start again and drop the polling


def _draw_job(runner, job_id):
    status = runner.status(job_id)
    spec = ae_core.TrainSpec.load(runner.run_dir(job_id).parent / "spec.json")
    st.subheader(f"Job {job_id[:6]}: {spec.kind}, {status['state']}")
    st.caption(settings_line(spec))
    _progress(status)
    if status["state"] in ACTIVE:
        stop_args = dict(key="stop_job", on_click=_stop, args=(runner, job_id))
        if st.button("Stop training", **stop_args):
            st.info("Stopping after the current batch...")
    _outcome(runner, job_id, status, spec)  # above the chart, seen unscrolled
    events = runner.events(job_id)
    if events:
        epochs = [e for e in events if e["type"] == "epoch"]
        batches = [e for e in events if e["type"] == "batch"]
        figure = charts.loss_figure(epochs, batches, is_vae=spec.kind == "vae")
        st.plotly_chart(figure, key="train_loss")
    elif status["state"] in ACTIVE:
        st.caption("The loss chart starts with the first batch.")
    return status


def settings_line(spec):
    """The job's settings in one line, since the form may show other values."""
    full = spec.resolved()
    size = "all" if full.train_size is None else f"{full.train_size:,}"
    parts = [
        f"{full.preset} preset",
        f"{full.epochs} epochs",
        f"batch size {full.batch_size}",
        f"{size} training images",
        f"learning rate {full.learning_rate:g}",
    ]
    if full.kind == "denoising":
        parts.append(f"noise factor {full.noise_factor:g}")
    if full.kind == "vae":
        parts.append(f"latent size {full.latent_dim}")
    return "Settings: " + ", ".join(parts) + "."


def _stop(runner, job_id):
    # Runs before the panel is drawn, so this same run can already say the job
    # ended: it ends within a batch or so, or is ended after a second.
    runner.stop(job_id)
    runner.wait(job_id, timeout=STOP_WAIT_SECONDS, poll=0.1)


def _resumable(runner, job_id, status):
    """A stopped or failed job with a checkpoint and epochs still to train."""
    checkpoint = runner.run_dir(job_id) / ae_core.runs.CHECKPOINT
    return (
        status["state"] in ("stopped", "failed")
        and status["epoch"] < status["epochs"]
        and checkpoint.is_file()
    )


def _progress(status):
    if status["state"] == "queued":
        text = f"Waiting in the queue, position {status['queue_position']}."
        st.progress(0.0, text=text)
        return
    done, total = status["epoch"], status["epochs"]
    if status["state"] == "cancelled":
        return  # its message says it all
    if status["state"] == "running" and status["batch_events"] == 0:
        text = (
            "Starting: the training process is loading TensorFlow and the data, "
            "and building the model (a few seconds on a laptop)."
        )
        st.progress(0.0, text=text)
        return
    text = f"Epoch {done} of {total} done"
    if status["state"] == "running" and status["epochs_done"] > done:
        share = min(status["epochs_done"] - done, 0.99)  # 100% once it is done
        text = f"Epoch {done + 1} of {total}: {share:.0%} through"
    if status["eta_seconds"] is not None and status["state"] == "running":
        text += f", about {status['eta_seconds']:.0f} s left"
    fraction = status["epochs_done"] if status["state"] == "running" else done
    st.progress(min(fraction / total, 1.0), text=text + ".")


def _outcome(runner, job_id, status, spec):
    state, message = status["state"], status["message"]
    if state in ACTIVE:
        return
    if state in ("diverged", "failed"):
        st.error(message)
    elif state == "done":
        st.success(message)
    else:
        st.info(message)
    if _resumable(runner, job_id, status):
        st.button(
            f"Resume training (epochs {status['epoch'] + 1} to {status['epochs']})",
            key="resume_job",
            on_click=runner.resume,
            args=(job_id,),
        )
    if status["has_model"]:
        model_path = runner.run_dir(job_id) / "model.keras"
        st.download_button(
            "Download the model (.keras)",
            model_path.read_bytes,
            file_name=f"{spec.kind}-{job_id[:6]}.keras",
            mime="application/octet-stream",
            on_click="ignore",
        )
        label = loaders.job_label(spec.kind, job_id, status["epoch"])
        st.caption(f"The other pages offer this model as “{label}”.")


@st.cache_resource
def has_gpu():
    """Whether TensorFlow sees a GPU here (the job processes will too)."""
    import tensorflow as tf

    return bool(tf.config.list_physical_devices("GPU"))

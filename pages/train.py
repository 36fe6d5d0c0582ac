"""Train: pick a kind and its settings, start a job, watch it learn, stop it."""

import streamlit as st

from dashboard import charts, loaders, training, widgets

widgets.intro(
    "Train",
    "Choose a kind of autoencoder and press Start: it trains in a process of its "
    "own while the chart below draws its loss per batch and per epoch. The defaults "
    "keep an epoch to a few seconds on a laptop; try `simple` first, and stop it "
    "whenever you have seen enough.",
    "Jobs keep running when you click elsewhere, change page or reload: the job's "
    "id is in the page's address, so a second tab with that address shows the same "
    "job. A finished or stopped job's model keeps its last completed epoch, appears "
    "on every other page beside the pretrained models and can be downloaded. The "
    "server trains a limited number of jobs at once; the others wait in a queue. "
    "A run whose loss stops being a number says so and suggests a lower learning "
    "rate. `paper` is the post's recipe (Adadelta, many epochs); `fast` uses Adam.",
)
data = loaders.dataset()
runner = loaders.job_runner()
job_id = training.current_job(runner)
busy = training.is_active(runner, job_id)
job_area = st.container()  # above the form, so a projector shows it unscrolled
if job_id is not None:
    st.subheader("Settings for a new job")
spec = training.spec_form(len(data.x_train), training.has_gpu(), disabled=busy)
if busy:
    st.caption("Start is off while this job runs; stop it to start another.")
if spec is not None:
    training.remember(runner.submit(spec))
    st.rerun()  # draw the page again with Start off

# The job, or how the pretrained model of this kind trained
if job_id is not None:
    with job_area:
        training.job_panel(runner, job_id)
else:
    kind = st.session_state.train_kind
    pretrained = loaders.model_choices((kind,))
    if pretrained and pretrained[0].job_id is None:
        run = loaders.run_of(pretrained[0])
        st.subheader(f"How the pretrained {kind} model trained")
        figure = charts.loss_figure(run.history["epochs"], is_vae=kind == "vae")
        st.plotly_chart(figure, key="pretrained_loss")
    else:
        st.info(f"No pretrained {kind} model to show; start a job to see one train.")

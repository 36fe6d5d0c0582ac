"""Training from the Train page, as a user does it: start, watch, click, reload, stop.

Jobs run in the served app's job runner; on a 2-core machine it trains one at
a time, so each test waits for its job to end before the next one starts.
"""

import re

import numpy as np
import pytest
from playwright.sync_api import expect

from .ui import (
    NAV_LINK,
    PLOTLY_CHART,
    assert_images_drawn,
    assert_no_error,
    choose,
    open_page,
    plotly_points,
    press_slider,
    save_screenshot,
    set_number,
    wait_until_idle,
)

pytestmark = pytest.mark.e2e

JOB_IN_URL = re.compile(r"[?&]job=([A-Za-z0-9_-]+)")
JOB_SECONDS = 240  # the longest a tiny job may take on a busy 2-core machine
STOP_SECONDS = 15

# Number of points in the loss chart, evaluated in the page.
_MORE_POINTS_JS = """
([selector, than]) => {
    const plot = document.querySelector(selector + ' .js-plotly-plot');
    if (!plot || !plot.calcdata) return false;
    return plot.calcdata.reduce((total, trace) => total + trace.length, 0) > than;
}
"""


def start_job(page, app_url, kind, epochs, train_size, batch_size):
    """Fills in the Train page's settings, presses Start and returns the job id."""
    open_page(page, f"{app_url}/train")
    choose(page, "Kind", kind)
    set_number(page, "Epochs", epochs)
    set_number(page, "Training images", train_size)
    set_number(page, "Batch size", batch_size)
    page.get_by_role("button", name="Start training").click()
    wait_until_idle(page)
    assert_no_error(page)
    expect(page).to_have_url(JOB_IN_URL)
    return JOB_IN_URL.search(page.url).group(1)


def job_heading(page, job_id):
    """The heading of the job panel, "Job <id>: <kind>, <state>"."""
    return page.get_by_role("heading", name=re.compile(f"Job {job_id[:6]}"))


def wait_for_more_points(page, than, timeout_ms=JOB_SECONDS * 1000):
    """Waits until the loss chart has more than `than` points; returns the count."""
    page.wait_for_function(
        _MORE_POINTS_JS, arg=[PLOTLY_CHART, than], timeout=timeout_ms
    )
    return plotly_points(page.locator(PLOTLY_CHART).first)


def job_folders(runs_dir):
    return sorted(path.name for path in runs_dir.iterdir() if path.is_dir())


def test_a_job_trains_live_and_survives_clicks_and_reloads(
    page, app_url, runs_dir, tmp_path
):
    jobs_before = job_folders(runs_dir)
    job_id = start_job(
        page, app_url, "denoising", epochs=2, train_size=2000, batch_size=16
    )
    heading = job_heading(page, job_id)
    expect(heading).to_contain_text("running", timeout=JOB_SECONDS * 1000)
    assert job_folders(runs_dir) == sorted([*jobs_before, job_id])

    # The chart gains points while the job runs
    first = wait_for_more_points(page, 0)
    second = wait_for_more_points(page, first)
    expect(page.get_by_role("button", name="Start training")).to_be_disabled()

    # A widget click reruns the page but leaves the job alone
    expect(heading).to_contain_text("running")
    press_slider(page, "Noise factor", "ArrowRight", times=2)
    wait_for_more_points(page, second)
    assert JOB_IN_URL.search(page.url).group(1) == job_id
    expect(heading).to_be_visible()

    # A reload finds the same job through the address
    page.reload()
    wait_until_idle(page)
    expect(heading).to_be_visible()
    assert job_folders(runs_dir) == sorted([*jobs_before, job_id])

    # It ends, and its model downloads and loads back
    expect(heading).to_contain_text("done", timeout=JOB_SECONDS * 1000)
    wait_until_idle(page)
    assert_no_error(page)
    save_screenshot(page, "train", height=1250)
    expect(page.get_by_role("progressbar")).to_be_visible()
    model_path = download_model(page, tmp_path)
    check_model_loads_back(model_path, runs_dir / job_id / "run")

    # Another page of the same session offers the model
    offer = page.get_by_text("The other pages offer this model as")
    label = re.search("“(.+)”", offer.inner_text()).group(1)
    page.locator(NAV_LINK).filter(has_text="Noise").click()
    wait_until_idle(page)
    choose(page, "Denoising model", label)
    assert_no_error(page)
    assert assert_images_drawn(page) >= 4


def download_model(page, folder):
    """Clicks the download button and returns the path of the saved file."""
    with page.expect_download() as download_info:
        page.get_by_role("button", name=re.compile("Download the model")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".keras")
    path = folder / download.suggested_filename
    download.save_as(path)
    return path


def check_model_loads_back(model_path, run_folder):
    """The downloaded file loads with safe_mode and computes what the run's does."""
    import keras

    import ae_core

    downloaded = keras.saving.load_model(model_path, safe_mode=True, compile=False)
    run = ae_core.load_run(run_folder)
    digits = ae_core.load_sample().x_test[:8]
    ours = ae_core.reconstruct(downloaded, digits)
    theirs = ae_core.reconstruct(run.model, digits)
    assert ours.shape == (8, 28, 28)
    np.testing.assert_allclose(ours, theirs, atol=1e-6)
    assert run.spec.kind == "denoising"


def test_stop_ends_a_running_job(page, app_url):
    job_id = start_job(
        page, app_url, "simple", epochs=50, train_size=5000, batch_size=16
    )
    heading = job_heading(page, job_id)
    expect(heading).to_contain_text("running", timeout=JOB_SECONDS * 1000)
    wait_for_more_points(page, 0)

    page.get_by_role("button", name="Stop training").click()
    expect(heading).to_contain_text("stopped", timeout=STOP_SECONDS * 1000)
    wait_until_idle(page)
    assert_no_error(page)
    expect(page.get_by_role("button", name="Stop training")).to_have_count(0)
    expect(page.get_by_role("button", name="Start training")).to_be_enabled()

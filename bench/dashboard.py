"""Times the served dashboard as a user meets it, in headless Chromium.

    python -m bench.dashboard [--data-dir DIR] [--tabs N] [--moves N]

Starts `streamlit run app.py` on a free port with its runs in a temporary
folder, then measures, each in a fresh browser session:

- open: seconds from opening a page's address to its script being done with
  its charts and images drawn; the first page on the fresh server is "cold",
  each page is then opened twice more ("warm").
- switch: in one browser session, seconds from a click on a page's link in
  the sidebar to its script being done with its charts drawn: the browser
  has Streamlit's front end loaded already, as it has after the first page.
- latent: the browser's own decoding time for moves of the z[0] slider, and
  the seconds from the key press to the explorer showing the new point.
- poll: the server's CPU time per second while `--tabs` sessions watch a
  job that stands still (its files say "running, epoch 5 of 10", and no
  process trains it), so only the pages' polling costs anything.
- start: in one session, the seconds from a click on "Start training" (a
  `simple` job with the page's defaults) to the page showing its first
  batch ("Epoch 1 of N: 3% through"), three jobs one after the other.
- stop: `--tabs` sessions each start a `simple` job (batch size 8, so the
  tabs poll a busy server); the seconds from the click on "Stop training" in
  the first one to its heading saying "stopped". The other tabs' renderers run at a
  lower CPU priority (see `renice`).

Without `--data-dir` the app uses AE_DATA_DIR or its own lookup.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import sync_playwright

from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    _free_port,
    _stop_process_group,
    _wait_until_healthy,
)

REPO = Path(__file__).resolve().parent.parent
PAGES = ["", "train", "noise", "codes", "latent", "sequences"]
TITLES = {
    "": "Reconstructions",
    "train": "Train",
    "noise": "Noise",
    "codes": "Codes",
    "latent": "Latent space (VAE)",
    "sequences": "Sequences (LSTM)",
}
SCRIPT_DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
DRAWN = ", ".join(  # the first result a page draws: a picture or a chart
    [
        '[data-testid="stImage"] img',
        '[data-testid="stPlotlyChart"] .main-svg',
        '[data-testid="stVegaLiteChart"] .role-mark path',
        "canvas.map",  # the latent explorer
    ]
)
TIMEOUT_MS = 300_000


def launch(playwright, executable):
    return playwright.chromium.launch(
        executable_path=str(executable), args=CHROMIUM_ARGS
    )


def chromium_pids():
    pids = set()
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and "chromium" in (entry / "comm").read_text():
                pids.add(int(entry.name))
        except OSError:
            continue
    return pids


def renice(pids, niceness=5):
    """Lowers the CPU priority of the other users' browser processes.

    Their browsers would run on their own machines; here they share the CPU
    with the server, and at normal priority they starve it and the measured tab.
    """
    for pid in pids:
        try:
            os.setpriority(os.PRIO_PROCESS, pid, niceness)
        except OSError:
            continue


def serve(runs_dir, data_dir, script="app.py"):
    """Runs `streamlit run script` from the project's folder; (process, url)."""
    port = _free_port()
    env = {**os.environ, "AE_RUNS_DIR": str(runs_dir)}
    if data_dir:
        env["AE_DATA_DIR"] = data_dir
    command = [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    log = open(Path(runs_dir) / "server.log", "w")
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    _wait_until_healthy(process, url, Path(log.name))
    return process, url


def open_seconds(browser, url):
    """Seconds until the page at `url` has run its script and drawn something."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, timeout=TIMEOUT_MS)
    page.locator(DRAWN).first.wait_for(timeout=TIMEOUT_MS)
    page.locator(SCRIPT_DONE).wait_for(timeout=TIMEOUT_MS)
    seconds = time.perf_counter() - start
    context.close()
    return seconds


def measure_pages(browser, url):
    rows = [("cold", "reconstructions", open_seconds(browser, url))]
    for _ in range(2):
        for name in PAGES:
            rows.append(
                (
                    "warm",
                    name or "reconstructions",
                    open_seconds(browser, f"{url}/{name}"),
                )
            )
    for row in rows:
        print(f"open  {row[0]:5s} {row[1]:16s} {row[2]:6.2f} s", flush=True)
    warm = [r[2] for r in rows if r[0] == "warm"]
    print(f"open  warm median {statistics.median(warm):.2f} s, max {max(warm):.2f} s")


def measure_switch(browser, url, rounds=2):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url, timeout=TIMEOUT_MS)
    page.locator(SCRIPT_DONE).wait_for(timeout=TIMEOUT_MS)
    seconds = []
    for _ in range(rounds):
        for name in PAGES[1:] + PAGES[:1]:
            link = page.get_by_test_id("stSidebarNav").get_by_text(TITLES[name])
            start = time.perf_counter()
            link.click()
            title = page.get_by_role("heading", name=TITLES[name], exact=True)
            title.wait_for(timeout=TIMEOUT_MS)
            page.locator(SCRIPT_DONE).wait_for(timeout=TIMEOUT_MS)
            page.locator(DRAWN).first.wait_for(timeout=TIMEOUT_MS)
            seconds.append((name or "reconstructions", time.perf_counter() - start))
    context.close()
    for name, value in seconds:
        print(f"switch {name:16s} {value:6.2f} s", flush=True)
    values = [value for _, value in seconds]
    print(f"switch median {statistics.median(values):.2f} s, max {max(values):.2f} s")


def measure_latent(browser, url, moves):
    """Key press on the z[0] slider to the digit drawn for the new point.

    The page decodes in the browser; the time includes Playwright's own round
    trips, so it is an upper bound.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{url}/latent", timeout=TIMEOUT_MS)
    page.locator(SCRIPT_DONE).wait_for(timeout=TIMEOUT_MS)
    explorer = page.locator(".explorer")
    slider = page.get_by_role("slider", name="z[0]")
    slider.focus()
    decode_ms, round_trip = [], []
    for move in range(1, moves + 1):
        start = time.perf_counter()
        page.keyboard.press("ArrowRight")
        expected = f"{0.05 * move:.4f},0.0000"
        page.wait_for_function(
            "([node, point]) => node.dataset.point === point",
            arg=[explorer.element_handle(), expected],
            timeout=TIMEOUT_MS,
        )
        round_trip.append(time.perf_counter() - start)
        decode_ms.append(float(explorer.get_attribute("data-decode-ms")))
    context.close()
    print(
        f"latent browser decode ms: median {statistics.median(decode_ms):.2f}, "
        f"max {max(decode_ms):.2f}; key to new digit s: median "
        f"{statistics.median(round_trip):.3f}, max {max(round_trip):.3f}"
    )


def still_job(runs_dir, epochs=5, batches=80):
    """A job folder that says "running" with no process behind it; its id."""
    job_id = "bench-still-job"
    folder = Path(runs_dir) / job_id
    folder.mkdir()
    files = {
        "spec.json": {"kind": "simple", "preset": "fast", "epochs": 2 * epochs},
        "paths.json": {"run_dir": str(folder / "run"), "log_dir": None},
        "state.json": {"state": "running", "message": "Training."},
    }
    for name, value in files.items():
        (folder / name).write_text(json.dumps(value))
    lines = []
    for epoch in range(1, epochs + 1):
        for batch in range(1, batches + 1):
            lines.append(dict(type="batch", epoch=epoch, batch=batch,
                              batches=batches, loss=0.2 - 0.01 * epoch))  # fmt: skip
        lines.append(dict(type="epoch", epoch=epoch, loss=0.1, val_loss=0.1, seconds=3))
    (folder / "events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in lines))
    return job_id


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_poll(browser, url, runs_dir, server_pid, tabs, seconds=20):
    job_id = still_job(runs_dir)
    pages = []
    for _ in range(tabs):
        page = browser.new_context().new_page()
        page.goto(f"{url}/train?job={job_id}", timeout=TIMEOUT_MS)
        page.get_by_text("Epoch 5 of 10").first.wait_for(timeout=TIMEOUT_MS)
        pages.append(page)
    time.sleep(3)
    before, start = cpu_seconds(server_pid), time.monotonic()
    time.sleep(seconds)
    used = (cpu_seconds(server_pid) - before) / (time.monotonic() - start)
    print(
        f"poll  {tabs} tabs watching a job: server CPU {100 * used:.0f}% of a "
        f"core, {1000 * used / tabs:.0f} ms per tab each second"
    )
    for page in pages:
        page.context.close()


def start_job(browser, url):
    page = browser.new_context().new_page()
    page.goto(f"{url}/train", timeout=TIMEOUT_MS)
    start = page.get_by_role("button", name="Start training")
    start.wait_for(timeout=TIMEOUT_MS)
    for label, value in (("Epochs", "200"), ("Batch size", "8")):
        box = page.get_by_label(label)
        box.fill(value)
        box.press("Enter")
        page.locator(SCRIPT_DONE).wait_for(timeout=TIMEOUT_MS)
    start.click()
    page.get_by_role("button", name="Stop training").wait_for(timeout=TIMEOUT_MS)
    return page


def measure_start(browser, url, jobs=3):
    page = browser.new_context().new_page()
    page.goto(f"{url}/train", timeout=TIMEOUT_MS)
    seconds = []
    for _ in range(jobs):
        start_button = page.get_by_role("button", name="Start training")
        start_button.wait_for(timeout=TIMEOUT_MS)
        page.locator(SCRIPT_DONE).wait_for(timeout=TIMEOUT_MS)
        start_button.click()
        start = time.perf_counter()
        page.get_by_role("button", name="Stop training").wait_for(timeout=TIMEOUT_MS)
        first_batch = re.compile(r"Epoch \d+ of \d+(: \d+% through| done)")
        page.get_by_text(first_batch).first.wait_for(timeout=TIMEOUT_MS)
        seconds.append(time.perf_counter() - start)
        page.get_by_role("button", name="Stop training").click()
        page.get_by_role("heading", name=re.compile("stopped")).wait_for(
            timeout=TIMEOUT_MS
        )
        page.wait_for_timeout(2000)  # the next spare process, if any, starts
    print(f"start click to first batch s: {', '.join(f'{s:.2f}' for s in seconds)}")
    page.context.close()


def measure_stop(browser, url, tabs, runs_dir):
    first = start_job(browser, url)
    mine = chromium_pids()  # the browser and the measured tab's renderer
    pages = [first]
    for _ in range(tabs - 1):
        pages.append(start_job(browser, url))
        renice(chromium_pids() - mine)
    heading = first.get_by_role("heading", name=re.compile("running"))
    heading.wait_for(timeout=TIMEOUT_MS)
    first.wait_for_timeout(3000)  # let every tab poll a few times
    first.bring_to_front()  # the user who clicks looks at their tab
    shown = [p.evaluate("document.visibilityState") for p in pages]
    print(f"stop  tabs: {shown}")
    job_id = parse_qs(urlparse(first.url).query)["job"][0]
    state_file = Path(runs_dir) / job_id / "state.json"
    first.get_by_role("button", name="Stop training").click()
    start = time.perf_counter()
    stopped = first.get_by_role("heading", name=re.compile("stopped"))
    job_ended = None
    while not stopped.count():
        if job_ended is None and '"running"' not in state_file.read_text():
            job_ended = time.perf_counter() - start
        first.wait_for_timeout(50)
        if time.perf_counter() - start > TIMEOUT_MS / 1000:
            raise TimeoutError("the page never said stopped")
    ended = "before the page" if job_ended is None else f"after {job_ended:.2f} s"
    print(
        f"stop  {tabs} tabs polling: the job ended {ended}, the page said so "
        f"after {time.perf_counter() - start:.2f} s"
    )
    for page in pages:
        page.context.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir")
    parser.add_argument("--tabs", type=int, default=4)
    parser.add_argument("--moves", type=int, default=10)
    parser.add_argument(
        "--skip",
        nargs="*",
        default=[],
        choices=["open", "switch", "latent", "poll", "start", "stop"],
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as runs_dir:
        process, url = serve(runs_dir, args.data_dir)
        try:
            with sync_playwright() as playwright:
                browser = launch(playwright, CHROMIUM)
                if "open" not in args.skip:
                    measure_pages(browser, url)
                if "switch" not in args.skip:
                    measure_switch(browser, url)
                if "latent" not in args.skip:
                    measure_latent(browser, url, args.moves)
                if "poll" not in args.skip:
                    measure_poll(browser, url, runs_dir, process.pid, args.tabs)
                if "start" not in args.skip:
                    measure_start(browser, url)
                if "stop" not in args.skip:
                    measure_stop(browser, url, args.tabs, runs_dir)
                browser.close()
        finally:
            _stop_process_group(process)


if __name__ == "__main__":
    main()

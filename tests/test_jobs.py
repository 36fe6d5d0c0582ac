"""The job runner: real worker processes, a queue, stop, a crash and a resume."""

import shutil
import sys
import time

import pytest

import ae_core
from ae_core.data import SAMPLE_PATH


@pytest.fixture
def runner(tmp_path):
    return ae_core.JobRunner(tmp_path / "jobs", max_running=1)


@pytest.fixture
def spec(tmp_path):
    (tmp_path / "data").mkdir()
    shutil.copy(SAMPLE_PATH, tmp_path / "data" / "mnist.npz")
    return ae_core.TrainSpec(
        "simple", epochs=30, train_size=2000, batch_size=32,
        data_dir=str(tmp_path / "data"),
    )  # fmt: skip


def wait_for(condition, timeout=90):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_queue_stop_and_cancel(runner, spec):
    first = runner.submit(spec)
    second = runner.submit(spec)
    assert runner.status(second)["queue_position"] == 1
    assert runner.status(second)["message"] == "Waiting for a free training slot."
    runner.stop(second)
    assert runner.status(second)["state"] == "cancelled"
    assert runner.status(first)["state"] == "running"  # starting counts as running

    wait_for(lambda: runner.status(first)["epoch"] >= 1)
    assert runner.status(first)["eta_seconds"] > 0
    asked = time.monotonic()
    runner.stop(first)
    status = runner.wait(first, timeout=30)
    assert status["state"] == "stopped" and status["has_model"]
    assert time.monotonic() - asked < 5
    assert ae_core.load_run(runner.run_dir(first)).history["epochs"]


def test_crashed_job_resumes_from_last_epoch(runner, spec):
    import dataclasses

    job = runner.submit(dataclasses.replace(spec, epochs=4))
    wait_for(lambda: runner.status(job)["epoch"] >= 2)
    runner._processes[job].kill()
    status = runner.wait(job, timeout=30)
    assert status["state"] == "failed"
    assert "ended unexpectedly" in status["message"]

    runner.resume(job)
    assert runner.wait(job, timeout=120)["state"] == "done"
    epochs = ae_core.load_run(runner.run_dir(job)).history["epochs"]
    assert [e["epoch"] for e in epochs] == [1, 2, 3, 4]


def test_ids_from_outside_are_checked(runner):
    with pytest.raises(ValueError, match=r"Invalid job id '\.\./etc'"):
        runner.status("../etc")
    with pytest.raises(ValueError, match=r"No job with id 'abcdefghijkl'"):
        runner.status("abcdefghijkl")


def test_stop_while_starting_up_ends_without_a_model(runner, spec, monkeypatch):
    monkeypatch.setattr("ae_core.jobs.STOP_GRACE_SECONDS", 0.0)
    job = runner.submit(spec)
    assert runner.status(job)["message"] == "Starting the training process."
    runner.stop(job)
    status = runner.wait(job, timeout=30)
    assert status["state"] == "stopped" and not status["has_model"]
    assert status["message"] == (
        "Stopped before the first epoch ended; no model was kept."
    )


def test_forced_stop_keeps_the_last_checkpoint(runner, spec, monkeypatch):
    job = runner.submit(spec)
    wait_for(lambda: runner.status(job)["epoch"] >= 2)
    monkeypatch.setattr("ae_core.jobs.STOP_GRACE_SECONDS", 0.0)
    with runner._lock:  # the stop file is never seen: only the kill ends it
        process = runner._processes[job]
        runner._stop_asked[job] = time.monotonic()
    status = runner.wait(job, timeout=30)
    assert process.returncode < 0  # terminated by a signal
    assert status["state"] == "stopped" and status["has_model"]
    run = ae_core.load_run(runner.run_dir(job))
    count = len(run.history["epochs"])
    assert count >= 2
    assert status["message"] == (
        f"Stopped after epoch {count}; the model of epoch {count} was kept."
    )


def test_a_spare_process_takes_the_next_job_and_ends_with_the_runner(
    tmp_path, spec, monkeypatch
):
    import dataclasses
    import gc
    import json
    import types

    # Under Streamlit `__main__` is the page script; a job must not run it.
    script = tmp_path / "page.py"
    script.write_text(f"open({str(tmp_path / 'ran')!r}, 'w').close()\n")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page)

    runner = ae_core.JobRunner(tmp_path / "jobs", max_running=1, keep_spare=True)
    spare = runner._waiting[0]
    job = runner.submit(dataclasses.replace(spec, epochs=1))
    assert runner.wait(job, timeout=120)["state"] == "done"
    state = json.loads((tmp_path / "jobs" / job / "state.json").read_text())
    assert state["pid"] == spare.pid
    next_spare = runner._waiting[0]
    assert next_spare.poll() is None and next_spare is not spare
    assert not (tmp_path / "ran").exists()

    del runner
    gc.collect()  # the runner's end closes the pipe: the spare has no job
    assert next_spare.wait(timeout=60) == 0


def test_a_job_that_has_ended_frees_its_slot_while_its_process_closes(runner, spec):
    import subprocess

    from ae_core.jobs import set_state

    first = runner.submit(spec)
    with runner._lock:  # as if it had just written its outcome and were exiting
        runner._processes[first].kill()
        runner._processes[first] = subprocess.Popen(
            [sys.executable, "-c", "import time; time.sleep(60)"]
        )
        set_state(runner.root / first, "done", "Trained 30 epochs.")
    try:
        second = runner.submit(spec)
        assert runner.status(second)["queue_position"] is None
        assert runner.status(second)["state"] == "running"
    finally:
        runner._processes[first].kill()
        runner.stop(second)


def unowned_job(root, spec):
    """A job's folder and its worker, as a server that has since died left them."""
    from ae_core.jobs import _start_worker
    from ae_core.runs import write_json

    job_id = "left-behind-by-a-dead-server"
    folder = root / job_id
    folder.mkdir(parents=True)
    spec.save(folder / "spec.json")
    write_json(folder / "paths.json", {"run_dir": str(folder / "run"), "log_dir": None})
    write_json(folder / "state.json", {"state": "running", "created": time.time()})
    return job_id, _start_worker(str(folder))


def epochs_logged(root, job_id):
    path = root / job_id / "events.jsonl"
    return path.read_text().count('"type": "epoch"') if path.is_file() else 0


def test_a_job_whose_server_died_keeps_its_last_epoch_and_resumes(tmp_path, spec):
    import dataclasses

    root = tmp_path / "jobs"
    job, worker = unowned_job(root, dataclasses.replace(spec, epochs=6))
    wait_for(lambda: epochs_logged(root, job) >= 2)
    worker.kill()  # with its server, as a Ctrl+C or a crash of the server does
    worker.wait()

    runner = ae_core.JobRunner(root, max_running=1)  # the restarted server's
    status = runner.status(job)
    assert status["state"] == "failed" and status["has_model"]
    kept = len(ae_core.load_run(runner.run_dir(job)).history["epochs"])
    assert kept >= 2
    assert status["message"] == (
        f"The server stopped while this job trained. The model of epoch {kept} was "
        "kept; resume it to train the remaining epochs."
    )
    runner.resume(job)
    assert runner.wait(job, timeout=120)["state"] == "done"
    epochs = ae_core.load_run(runner.run_dir(job)).history["epochs"]
    assert [e["epoch"] for e in epochs] == [1, 2, 3, 4, 5, 6]


def test_a_worker_that_outlived_its_server_holds_its_slot_and_stops(tmp_path, spec):
    root = tmp_path / "jobs"
    job, worker = unowned_job(root, spec)
    try:
        wait_for(lambda: epochs_logged(root, job) >= 1)
        runner = ae_core.JobRunner(root, max_running=1)
        assert runner.status(job)["state"] == "running"
        waiting = runner.submit(spec)
        assert runner.status(waiting)["queue_position"] == 1  # the slot is taken

        asked = time.monotonic()
        runner.stop(job)
        status = runner.wait(job, timeout=30)
        assert status["state"] == "stopped" and status["has_model"]
        assert time.monotonic() - asked < 5
        wait_for(lambda: runner.status(waiting)["state"] == "running", timeout=30)
        runner.stop(waiting)
        assert runner.wait(waiting, timeout=30)["state"] in ("stopped", "done")
    finally:
        worker.kill()


def test_a_stopped_job_resumes_and_the_old_stop_does_not_end_it(runner, spec):
    job = runner.submit(spec)
    wait_for(lambda: runner.status(job)["epoch"] >= 1)
    runner.stop(job)
    kept = runner.wait(job, timeout=30)["epoch"]

    runner.resume(job)
    wait_for(lambda: runner.status(job)["epoch"] > kept + 1)
    assert runner.status(job)["state"] == "running"
    runner.stop(job)
    assert runner.wait(job, timeout=30)["state"] == "stopped"

"""Training jobs, each in its own process, with their state and events on disk.

A job lives in `root/<job id>/`: `spec.json`, `state.json`, `events.jsonl`, a
`stop` file when a stop was asked for, and `run/` with the checkpoint, history
and model. Job ids are random and unguessable, so a user who knows only their
own id cannot reach anybody else's job.
"""

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import weakref
from pathlib import Path

from ae_core.runs import CHECKPOINT, HISTORY, MODEL, write_json
from ae_core.spec import TrainSpec

FINAL_STATES = ("done", "stopped", "diverged", "failed", "cancelled")
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,40}")
PUMP_SECONDS = 0.5
# A stopped job gets this long to end on its own before it is terminated. Every
# file it writes is replaced atomically, so a kill loses only the epoch in
# progress: the last checkpoint becomes the model. Long enough for a batch and
# the final save on an idle machine; short enough for a Stop within 2 seconds.
STOP_GRACE_SECONDS = 1.0
# Training runs at a lower CPU priority than the server, so that on a small
# machine pages and Stop clicks stay quick while a job uses every core.
JOB_NICENESS = 10
QUEUED_MESSAGE = "Waiting for a free training slot."
STARTING_MESSAGE = "Starting the training process."
WAIT = "--wait"  # the worker's argument to wait for a job on its input
ROOT = str(Path(__file__).resolve().parent.parent)  # where `ae_core` is imported from


def default_max_running():
    """`AE_MAX_JOBS`, else one job per two CPU cores (at least one)."""
    value = os.environ.get("AE_MAX_JOBS")
    if value:
        if not value.isdigit() or int(value) < 1:
            raise ValueError(f"AE_MAX_JOBS must be a positive integer, got {value!r}.")
        return int(value)
    return max(1, (os.cpu_count() or 2) // 2)


class JobRunner:
    """Trains jobs in `ae_core.worker` processes, at most `max_running` at once.

    Args:
        root: folder for the jobs' folders; created if missing.
        max_running: jobs that train at the same time; the rest wait in a
            queue. Defaults to `default_max_running()`.
        keep_spare: keep one process waiting with TensorFlow imported, so
            that a job starts training seconds sooner (importing TensorFlow
            is most of a new process's start). Costs that process's memory.
            Defaults to False.
    """

    def __init__(self, root, max_running=None, keep_spare=False):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.max_running = max_running or default_max_running()
        self.keep_spare = keep_spare
        self._lock = threading.Lock()
        self._queue = []
        self._processes = {}
        self._stop_asked = {}
        self._events_read = {}
        self._pumper = None
        self._waiting = []  # the spare worker, with TensorFlow imported
        self._orphans = {}  # job id: pid of a worker a previous server started
        if keep_spare:
            self._waiting.append(_start_worker(WAIT, stdin=subprocess.PIPE))
        weakref.finalize(self, _end_workers, self._processes, self._waiting)
        self._take_over_unfinished()

    def submit(self, spec, run_dir=None, log_dir=None):
        """Queues `spec` (a `TrainSpec` or its dict) and returns the job id.

        Args:
            spec: what to train.
            run_dir: where the run's files go. Defaults to `run/` in the job's
                folder. A folder with a checkpoint is resumed.
            log_dir: a TensorBoard log folder. Defaults to none.
        """
        if isinstance(spec, dict):
            spec = TrainSpec.from_dict(spec)
        job_id = secrets.token_hex(12)  # 96 random bits; reads well in a label
        folder = self.root / job_id
        folder.mkdir()
        spec.save(folder / "spec.json")
        paths = {"run_dir": str(run_dir or folder / "run"), "log_dir": log_dir}
        write_json(folder / "paths.json", paths)
        write_json(folder / "state.json", {"state": "queued", "created": time.time()})
        with self._lock:
            self._queue.append(job_id)
        self._start_pumper()
        self.pump()
        return job_id

    def status(self, job_id):
        """The job's state, progress, queue position and time left, as a dict.

        `epoch` counts the epochs completed, `epochs_done` adds the share of
        the one in progress.
        """
        folder = self._folder(job_id)
        self.pump()
        state = read_json(folder / "state.json")
        spec = TrainSpec.load(folder / "spec.json").resolved()
        events = self.events(job_id)
        epochs = [e for e in events if e["type"] == "epoch"]
        with self._lock:
            queued = job_id in self._queue
            position = self._queue.index(job_id) + 1 if queued else None
        return {
            "id": job_id,
            "state": state["state"],
            "queue_position": position,
            "epoch": len(epochs),
            "epochs": spec.epochs,
            "epochs_done": _epochs_done(events),
            "batch_events": len(events) - len(epochs),
            "message": state.get("message") or QUEUED_MESSAGE,
            "eta_seconds": _eta(events, spec.epochs, state["state"]),
            "has_model": (self.run_dir(job_id) / MODEL).is_file(),
        }

    def events(self, job_id):
        """The job's batch and epoch events so far, oldest first."""
        path = self._folder(job_id) / "events.jsonl"
        if not path.is_file():
            return []
        # Many pages poll each job every second: parse only what is new.
        with self._lock:
            offset, events = self._events_read.get(job_id, (0, []))
        with open(path, "rb") as stream:
            stream.seek(offset)
            chunk = stream.read()
        complete = chunk[: chunk.rfind(b"\n") + 1]  # a last line may be half written
        events = events + [json.loads(line) for line in complete.splitlines()]
        with self._lock:
            self._events_read[job_id] = (offset + len(complete), events)
        return list(events)

    def stop(self, job_id):
        """Asks the job to stop after its current batch; a queued job is cancelled."""
        folder = self._folder(job_id)
        with self._lock:
            if job_id in self._queue:
                self._queue.remove(job_id)
                set_state(folder, "cancelled", "Cancelled before it started.")
                return
        (folder / "stop").touch()
        self._stop_asked.setdefault(job_id, time.monotonic())

    def resume(self, job_id):
        """Queues a failed or stopped job again; it goes on from its checkpoint."""
        folder = self._folder(job_id)
        (folder / "stop").unlink(missing_ok=True)
        write_json(folder / "state.json", {"state": "queued", "created": time.time()})
        with self._lock:
            self._stop_asked.pop(job_id, None)  # else the old Stop ends it again
            self._queue.append(job_id)
        self._start_pumper()
        self.pump()

    def run_dir(self, job_id):
        """The folder of the job's run: spec, history, checkpoint, model."""
        return Path(read_json(self._folder(job_id) / "paths.json")["run_dir"])

    def wait(self, job_id, timeout=None, poll=0.2):
        """Polls until the job ends or `timeout` seconds pass; returns its status."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            status = self.status(job_id)
            if status["state"] in FINAL_STATES:
                return status
            if deadline is not None and time.monotonic() > deadline:
                return status
            time.sleep(poll)

    def pump(self):
        """Notes ended processes and starts queued jobs while slots are free."""
        with self._lock:
            for job_id, process in list(self._processes.items()):
                if process.poll() is not None:
                    self._reap(job_id, process)
                elif self._overdue(job_id):
                    process.terminate()
            for job_id, pid in list(self._orphans.items()):
                if not _is_worker(pid):
                    del self._orphans[job_id]
                    self._record_interrupted(job_id)
                elif self._overdue(job_id):
                    os.kill(pid, signal.SIGTERM)
            while self._queue and self._busy_slots() < self.max_running:
                self._launch(self._queue.pop(0))

    def _busy_slots(self):
        # A job that has recorded how it ended is only closing its process, which
        # takes a second or so: the next job need not wait for that.
        return sum(
            read_json(self.root / job_id / "state.json")["state"] not in FINAL_STATES
            for job_id in [*self._processes, *self._orphans]
        )

    def _launch(self, job_id):
        # The pid goes in the state before the worker starts on the job, so a
        # later server can always tell whether the job's process is still alive.
        folder = self.root / job_id
        process = self._waiting.pop() if self._waiting else None
        if process is not None and process.poll() is None:
            set_state(folder, "running", STARTING_MESSAGE, pid=process.pid)
        if not _hand_over(process, str(folder)):
            process = _start_worker(str(folder))
            set_state(folder, "running", STARTING_MESSAGE, pid=process.pid)
        self._processes[job_id] = process
        if self.keep_spare:
            self._waiting.append(_start_worker(WAIT, stdin=subprocess.PIPE))

    def _reap(self, job_id, process):
        del self._processes[job_id]
        self._record_end(
            job_id,
            lambda: (
                f"The training process ended unexpectedly (exit code "
                f"{process.returncode}). Resume it to go on from the last epoch."
            ),
        )

    def _record_end(self, job_id, failure_message):
        """Records how a job ended whose worker did not say so itself.

        After a Stop it is "stopped", with its last checkpoint as its model;
        else "failed", with the sentence `failure_message()` returns.
        """
        folder = self.root / job_id
        if read_json(folder / "state.json")["state"] in FINAL_STATES:
            return
        if job_id in self._stop_asked:
            epochs = _keep_checkpoint(self.run_dir(job_id))
            set_state(folder, "stopped", _stopped_message(epochs))
        else:
            set_state(folder, "failed", failure_message())

    def _record_interrupted(self, job_id):
        # Its worker went down with the previous server: keep its last epoch.
        self._record_end(
            job_id,
            lambda: _interrupted_message(_keep_checkpoint(self.run_dir(job_id))),
        )

    def _take_over_unfinished(self):
        """Takes on the jobs that a previous server left unfinished in `root`.

        A queued job is queued again, oldest first. A job whose process still
        trains (its server was killed alone) counts against the slots and can
        be stopped. A job whose process has gone with its server keeps its last
        checkpoint as its model, and can be resumed.
        """
        unfinished = []
        for folder in self.root.iterdir():
            try:
                state = read_json(folder / "state.json")
            except (OSError, ValueError):  # not a job's folder, or half written
                continue
            if state["state"] in ("queued", "running"):
                unfinished.append((state.get("created", 0), folder.name, state))
        for _, job_id, state in sorted(unfinished):
            if state["state"] == "queued":
                self._queue.append(job_id)
            elif state.get("pid") and _is_worker(state["pid"]):
                self._orphans[job_id] = state["pid"]
            else:
                self._record_interrupted(job_id)
        if self._queue or self._orphans:
            self._start_pumper()

    def _overdue(self, job_id):
        asked = self._stop_asked.get(job_id)
        return asked is not None and time.monotonic() - asked > STOP_GRACE_SECONDS

    def _folder(self, job_id):
        if not isinstance(job_id, str) or not ID_PATTERN.fullmatch(job_id):
            raise ValueError(f"Invalid job id {job_id!r}.")
        folder = self.root / job_id
        if not (folder / "state.json").is_file():
            raise ValueError(f"No job with id {job_id!r}.")
        return folder

    def _start_pumper(self):
        if self._pumper is None or not self._pumper.is_alive():
            self._pumper = threading.Thread(target=self._pump_forever, daemon=True)
            self._pumper.start()

    def _pump_forever(self):
        while True:
            time.sleep(PUMP_SECONDS)
            self.pump()
            with self._lock:
                if not self._queue and not self._processes and not self._orphans:
                    return


def _start_worker(argument, stdin=None):
    """A new `python -m ae_core.worker` process, at a lower CPU priority."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [ROOT, env.get("PYTHONPATH")]))
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("TF_FORCE_GPU_ALLOW_GROWTH", "true")
    command = [sys.executable, "-m", "ae_core.worker", argument]
    process = subprocess.Popen(command, env=env, stdin=stdin, text=True)
    if hasattr(os, "setpriority"):  # not on Windows
        try:  # the server's pages and Stop clicks come first
            os.setpriority(os.PRIO_PROCESS, process.pid, JOB_NICENESS)
        except OSError:  # the process has ended already
            pass
    return process


def _is_worker(pid):
    """Whether `pid` is a live `ae_core.worker` process (on Linux, checked by name)."""
    try:
        os.kill(pid, 0)
    except (OSError, ValueError):
        return False
    cmdline = Path(f"/proc/{pid}/cmdline")
    if not cmdline.parent.is_dir():  # no /proc (macOS): trust the pid
        return True
    try:
        return b"ae_core.worker" in cmdline.read_bytes()
    except OSError:  # it ended meanwhile
        return False


def _hand_over(spare, folder):
    """Sends `folder` to a waiting worker; False when there is none alive."""
    if spare is None or spare.poll() is not None:
        return False
    try:
        spare.stdin.write(folder + "\n")
        spare.stdin.close()
    except OSError:  # it ended since: the pipe is broken
        return False
    return True


def _end_workers(processes, waiting):
    """When the runner goes, or the server exits: ends the jobs still training,
    and closes a waiting worker's input, so that it ends without a job."""
    for process in list(processes.values()):
        if process.poll() is None:
            process.terminate()
    for process in waiting:
        process.stdin.close()


def set_state(folder, state, message, **extra):
    """Rewrites the job's `state.json` with a new state and message."""
    previous = read_json(folder / "state.json")
    value = {**previous, "state": state, "message": message, "updated": time.time()}
    write_json(folder / "state.json", {**value, **extra})


def read_json(path):
    return json.loads(Path(path).read_text())


def _keep_checkpoint(run):
    """After a forced stop, the last checkpoint becomes the run's model.

    Returns the number of epochs that model trained, or 0 for no checkpoint.
    """
    if not ((run / CHECKPOINT).is_file() and (run / HISTORY).is_file()):
        return 0
    shutil.copyfile(run / CHECKPOINT, run / MODEL)
    return len(read_json(run / HISTORY)["epochs"])


def _stopped_message(epochs):
    if not epochs:
        return "Stopped before the first epoch ended; no model was kept."
    return f"Stopped after epoch {epochs}; the model of epoch {epochs} was kept."


def _interrupted_message(epochs):
    kept = (
        f"The model of epoch {epochs} was kept"
        if epochs
        else "It had not finished an epoch"
    )
    return (
        f"The server stopped while this job trained. {kept}; resume it to "
        "train the remaining epochs."
    )


def _epochs_done(events):
    """Epochs trained so far, with the share of the one in progress."""
    if not events:
        return 0.0
    last = events[-1]
    if last["type"] == "batch":
        return last["epoch"] - 1 + last["batch"] / last["batches"]
    return float(sum(e["type"] == "epoch" for e in events))


def _eta(events, total_epochs, state):
    if state != "running":
        return None
    epochs = [e for e in events if e["type"] == "epoch"]
    if not epochs:
        return None
    per_epoch = sum(e["seconds"] for e in epochs) / len(epochs)
    return max(0.0, (total_epochs - _epochs_done(events)) * per_epoch)

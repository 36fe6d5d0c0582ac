"""A job's training process: `python -m ae_core.worker FOLDER`.

`JobRunner` starts it with a job's folder, or with `--wait` to keep a process
ready: importing `ae_core` imports Keras and TensorFlow, most of a new
process's start, and the waiting process has that done before it reads the
folder of its job from its standard input. When that input closes without a
folder, as it does when the runner or the server goes away, it ends.

A fresh interpreter runs nothing of the parent: `multiprocessing`'s spawn
would run the parent's `__main__` again, which under Streamlit is the page
script, with its data set and models.
"""

import json
import logging
import os
import signal
import sys
from pathlib import Path

from ae_core.jobs import WAIT, read_json, set_state
from ae_core.spec import TrainSpec

logger = logging.getLogger(__name__)


def main(argv):
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the runner decides on stops
    if argv != [WAIT]:
        if len(argv) != 1:
            raise SystemExit(f"usage: python -m ae_core.worker (FOLDER | {WAIT})")
        run_job(argv[0])
        return
    folder = sys.stdin.readline().strip()
    if folder:
        run_job(folder)


def run_job(folder):
    """Trains the job in `folder` and records how it ended in its `state.json`."""
    import keras

    from ae_core.training import train

    folder = Path(folder)
    stop_file = folder / "stop"
    paths = read_json(folder / "paths.json")
    extra = [keras.callbacks.TensorBoard(paths["log_dir"])] if paths["log_dir"] else []
    set_state(folder, "running", "Training.", pid=os.getpid())
    with open(folder / "events.jsonl", "a", buffering=1) as log:

        def on_event(event):
            log.write(json.dumps(event) + "\n")

        try:
            spec = TrainSpec.load(folder / "spec.json")
            result = train(
                spec, paths["run_dir"], on_event, stop_file.exists,
                extra_callbacks=extra,
            )  # fmt: skip
        except Exception as error:  # reported to the user, never re-raised
            logger.exception("Job %s failed", folder.name)
            set_state(folder, "failed", f"Training failed: {error}")
            return
    set_state(folder, result.outcome, result.message)


if __name__ == "__main__":
    main(sys.argv[1:])

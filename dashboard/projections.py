"""2-D maps of codes; t-SNE off the script thread so the page shows progress.

PCA takes well under a second and runs in the script thread. t-SNE runs on a
small pool of worker threads shared by the server, which only call
`ae_core.projection.project`; every Streamlit call stays in the script thread,
which polls the result. t-SNE maps are kept per model and sample size for the
life of the server (the last few dozen).

A t-SNE left running by a user who moved on must not slow everybody else: all
of them together use at most half the cores, at the training jobs' lower CPU
priority. On a 2-core machine one t-SNE of 10,000 codes took both cores for
40 s, and another user's training ran at a fifth of its speed meanwhile.
"""

import os
import sys
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor, wait

import streamlit as st
from threadpoolctl import threadpool_limits

from ae_core import projection
from ae_core.jobs import JOB_NICENESS

MAX_MAPS = 32
TSNE_WORKERS = 2  # one user's long t-SNE leaves room for another's
TSNE_THREADS = max(1, (os.cpu_count() or 2) // (2 * TSNE_WORKERS))
TSNE_SECONDS_PER_POINT = 0.005  # t-SNE, 1,000 iterations, one laptop core


class _MapStore:
    def __init__(self):
        self.lock = threading.Lock()
        self.futures = OrderedDict()
        self.pool = ThreadPoolExecutor(
            max_workers=TSNE_WORKERS,
            thread_name_prefix="projection",
            initializer=_lower_priority,
        )

    def future(self, key, codes, method):
        with self.lock:
            if key not in self.futures:
                self.futures[key] = self.pool.submit(_tsne, codes, method)
            self.futures.move_to_end(key)
            while len(self.futures) > MAX_MAPS:
                self.futures.popitem(last=False)
            return self.futures[key]

    def forget(self, key):
        with self.lock:
            self.futures.pop(key, None)


def _lower_priority():
    # Linux gives each thread a priority of its own: only this worker is lowered.
    if sys.platform.startswith("linux"):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), JOB_NICENESS)


def _tsne(codes, method):
    with threadpool_limits(limits=TSNE_THREADS, user_api="openmp"):  # this thread's
        return projection.project(codes, method=method, seed=0)


@st.cache_resource
def _store():
    return _MapStore()


def project(key, codes, method):
    """The 2-D map of `codes` by `method`, with a progress bar while t-SNE runs."""
    if method == "pca":
        return projection.project(codes, method="pca", seed=0)
    store = _store()
    future = store.future(key, codes, method)
    if not future.done():
        _wait_with_progress(future, len(codes) * TSNE_SECONDS_PER_POINT, len(codes))
    try:
        return future.result()
    except ValueError:
        store.forget(key)
        raise


def _wait_with_progress(future, estimate, n_codes):
    bar = st.progress(0.0)
    start = time.monotonic()
    while not wait([future], timeout=0.25).done:
        elapsed = time.monotonic() - start
        bar.progress(
            min(elapsed / max(estimate, 1.0), 0.95),
            text=f"Running t-SNE on {n_codes:,} codes: {elapsed:.0f} s so far "
            f"(about {estimate:.0f} s on an idle laptop).",
        )
    bar.empty()

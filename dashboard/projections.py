"""2-D maps of codes; t-SNE off the script thread so the page shows progress.

PCA takes well under a second and runs in the script thread. t-SNE runs on a
small pool of worker threads shared by the server, which only call
`ae_core.projection.project`; every Streamlit call stays in the script thread,
which polls the result. t-SNE maps are kept per model and sample size for the
life of the server (the last few dozen).
"""

import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor, wait

import streamlit as st

from ae_core import projection

MAX_MAPS = 32
TSNE_WORKERS = 2  # one user's long t-SNE leaves room for another's
TSNE_SECONDS_PER_POINT = 0.004  # t-SNE, 1,000 iterations, 2-core laptop CPU


class _MapStore:
    def __init__(self):
        self.lock = threading.Lock()
        self.futures = OrderedDict()
        self.pool = ThreadPoolExecutor(
            max_workers=TSNE_WORKERS, thread_name_prefix="projection"
        )

    def future(self, key, codes, method):
        with self.lock:
            if key not in self.futures:
                self.futures[key] = self.pool.submit(
                    projection.project, codes, method=method, seed=0
                )
            self.futures.move_to_end(key)
            while len(self.futures) > MAX_MAPS:
                self.futures.popitem(last=False)
            return self.futures[key]

    def forget(self, key):
        with self.lock:
            self.futures.pop(key, None)


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

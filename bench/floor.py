"""The floor of the browser benchmark: pages with one image or one chart.

`python -m bench.floor [--runs N]` serves `bench/floor_app.py` and opens, in a
fresh browser session each time, a page with only an image, only a plotly
scatter of 2,000 points, or only an Altair (Vega-Lite) one, the kinds of
things the dashboard's pages draw. It prints the seconds each took to open,
in the same harness as `bench.dashboard`, so a page's time can be read
against what its charts alone cost.
"""

import argparse
import statistics
import tempfile

from playwright.sync_api import sync_playwright

from bench.dashboard import CHROMIUM, _stop_process_group, launch, open_seconds, serve

KINDS = ("image", "plotly", "altair")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=4)
    args = parser.parse_args()
    seconds = {kind: [] for kind in KINDS}
    with tempfile.TemporaryDirectory() as runs_dir:
        process, url = serve(runs_dir, None, script="bench/floor_app.py")
        try:
            with sync_playwright() as playwright:
                browser = launch(playwright, CHROMIUM)
                open_seconds(browser, url)  # the server's first run: not counted
                for _ in range(args.runs):
                    for kind in KINDS:  # interleaved: a busy moment hits all
                        seconds[kind].append(
                            open_seconds(browser, f"{url}/?kind={kind}")
                        )
                browser.close()
        finally:
            _stop_process_group(process)
    for kind, values in seconds.items():
        print(
            f"floor {kind:7s} median {statistics.median(values):.2f} s, "
            f"max {max(values):.2f} s ({len(values)} runs)"
        )


if __name__ == "__main__":
    main()

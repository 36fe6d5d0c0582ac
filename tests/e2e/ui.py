"""What a user would check on a page: it finished, it shows no error, it drew."""

import io
from pathlib import Path

from PIL import Image
from playwright.sync_api import Locator, Page, expect

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "assets" / "screenshots"
SCREENSHOT_COLOURS = 256  # the most a PNG palette holds; fewer merges the digit hues

EXCEPTION = '[data-testid="stException"]'
ERROR_ALERT = '[data-testid="stAlertContentError"]'
APP = '[data-testid="stApp"]'
PLOTLY_CHART = '[data-testid="stPlotlyChart"]'
VEGA_CHART = '[data-testid="stVegaLiteChart"]'
IMAGE = '[data-testid="stImage"] img'
NAV_LINK = '[data-testid="stSidebarNavLink"]'
SKELETON = '[data-testid="stSkeleton"]'

# A page's first run loads TensorFlow, the data and the models; on a busy
# 2-core machine that has taken more than a minute.
IDLE_TIMEOUT_MS = 180_000

# Number of points Plotly computed for a chart, all traces together.
_PLOTLY_POINTS_JS = """
element => {
    const plot = element.querySelector('.js-plotly-plot');
    if (!plot || !plot.calcdata) return 0;
    return plot.calcdata.reduce((total, trace) => total + trace.length, 0);
}
"""

# Streamlit scrolls inside its own containers, not the window.
_SCROLL_TO_TOP_JS = """
() => {
    window.scrollTo(0, 0);
    const selector = '[data-testid="stMain"], [data-testid^="stApp"]';
    for (const element of document.querySelectorAll(selector)) element.scrollTop = 0;
}
"""


def open_page(page: Page, url: str) -> None:
    """Opens a URL of the app and waits until its script has finished."""
    page.goto(url)
    wait_until_idle(page)


def wait_until_idle(page: Page, timeout_ms: float = IDLE_TIMEOUT_MS) -> None:
    """Waits until the app is connected and its script has finished a run.

    A fragment that reruns itself flips the state back to running for a
    moment; Playwright polls, so it still sees the idle moments between runs.
    """
    app = page.locator(APP)
    expect(app).to_have_attribute(
        "data-test-connection-state", "CONNECTED", timeout=timeout_ms
    )
    expect(app).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=timeout_ms
    )
    expect(page.locator(SKELETON)).to_have_count(0, timeout=timeout_ms)


def assert_no_error(page: Page) -> None:
    """Fails with the page's own words if it shows an exception or an error box."""
    for selector, what in ((EXCEPTION, "an exception"), (ERROR_ALERT, "an error")):
        boxes = page.locator(selector)
        if boxes.count():
            texts = "\n---\n".join(boxes.all_inner_texts())
            raise AssertionError(f"{page.url} shows {what}:\n{texts}")


def plotly_points(chart: Locator) -> int:
    """How many data points a Streamlit Plotly chart has drawn."""
    return chart.evaluate(_PLOTLY_POINTS_JS)


def assert_charts_drawn(page: Page) -> int:
    """Checks that every chart on the page has points; returns how many.

    Plotly charts and Vega-Lite ones (drawn as SVG, one path per point).
    """
    charts = page.locator(PLOTLY_CHART)
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        expect(chart.locator(".js-plotly-plot")).to_be_visible()
        assert plotly_points(chart) > 0, f"chart {index} on {page.url} is empty"
    vega_charts = page.locator(VEGA_CHART)
    for index in range(vega_charts.count()):
        chart = vega_charts.nth(index)
        chart.scroll_into_view_if_needed()
        marks = chart.locator(".role-mark path, .role-mark rect, .role-mark line")
        expect(marks.first).to_be_attached()
    return charts.count() + vega_charts.count()


def assert_images_drawn(page: Page) -> int:
    """Checks that every image on the page has loaded pixels; returns how many."""
    images = page.locator(IMAGE)
    for index in range(images.count()):
        image = images.nth(index)
        image.scroll_into_view_if_needed()
        loaded = image.evaluate("img => img.complete && img.naturalWidth > 0")
        assert loaded, f"image {index} on {page.url} did not load"
    return images.count()


def save_screenshot(page: Page, name: str, height: int | None = None) -> Path:
    """Saves the top of the page as a small palette PNG for the README.

    Args:
        page: the tab to picture.
        name: the file's name, without ".png".
        height: a taller viewport for this picture only, in pixels. Defaults to
            None, the tab's own viewport.
    """
    viewport = page.viewport_size
    if height:
        page.set_viewport_size({"width": viewport["width"], "height": height})
    page.evaluate(_SCROLL_TO_TOP_JS)
    picture = Image.open(io.BytesIO(page.screenshot(type="png")))
    page.set_viewport_size(viewport)

    small = picture.convert("RGB").quantize(colors=SCREENSHOT_COLOURS)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    small.save(path, optimize=True)
    return path


# Widgets, found by their label as a user would


def choose(page: Page, label: str, option: str) -> None:
    """Picks `option` in the selectbox labelled `label`, then waits for the rerun."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    expect(box).to_have_value(option)
    wait_until_idle(page)


def set_number(page: Page, label: str, value: float) -> None:
    """Types `value` into the number input labelled `label` and commits it."""
    field = page.get_by_label(label, exact=True)
    field.fill(str(value))
    field.press("Enter")
    expect(field).to_have_value(str(value))
    wait_until_idle(page)


def press_slider(page: Page, label: str, key: str, times: int = 1) -> None:
    """Moves the slider labelled `label` with a key: "ArrowRight", "End", "Home"..."""
    slider = page.locator('[data-testid="stSlider"]').filter(
        has=page.get_by_text(label, exact=True)
    )
    thumb = slider.get_by_role("slider")
    before = thumb.input_value()
    for _ in range(times):
        thumb.press(key)
    expect(thumb).not_to_have_value(before)
    wait_until_idle(page)

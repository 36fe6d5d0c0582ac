"""The VAE's latent space: two different points decode to two different digits."""

import io

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from .ui import (
    PLOTLY_CHART,
    assert_no_error,
    open_page,
    press_slider,
    wait_until_idle,
)

pytestmark = pytest.mark.e2e

# Mean absolute grey-level difference (0-255) above which two digits differ.
DIFFERENT_DIGITS = 10.0


def decoded_digit(page):
    """The decoded digit beside the map, as a grey array, with its caption."""
    image = page.locator('[data-testid="stImage"]').filter(has_text="decoded at")
    expect(image).to_have_count(1)
    source = image.locator("img").get_attribute("src")
    body = page.request.get(source).body()
    pixels = np.asarray(Image.open(io.BytesIO(body)).convert("L"), dtype=float)
    return pixels, image.inner_text()


def test_two_points_decode_to_two_different_digits(page, app_url):
    open_page(page, f"{app_url}/latent")
    assert_no_error(page)
    first, first_caption = decoded_digit(page)

    press_slider(page, "z[0]", "End")
    press_slider(page, "z[1]", "Home")
    expect(
        page.locator('[data-testid="stImage"]').filter(has_text="decoded at")
    ).not_to_contain_text(first_caption)
    wait_until_idle(page)
    assert_no_error(page)
    second, second_caption = decoded_digit(page)

    assert first.shape == second.shape
    difference = np.abs(first - second).mean()
    assert difference > DIFFERENT_DIGITS, (
        f"{first_caption!r} and {second_caption!r} decode to nearly the same "
        f"picture (mean difference {difference:.1f} of 255)"
    )


def test_a_click_on_the_map_decodes_that_point(page, app_url):
    open_page(page, f"{app_url}/latent")
    slider_z0 = page.get_by_role("slider", name="z[0]")
    before_value = slider_z0.input_value()
    before, before_caption = decoded_digit(page)

    # Click the map's upper right, away from the origin where the sliders start
    plot_area = page.locator(f"{PLOTLY_CHART} .nsewdrag").first
    box = plot_area.bounding_box()
    x, y = box["x"] + 0.85 * box["width"], box["y"] + 0.15 * box["height"]
    page.mouse.move(x, y)
    page.mouse.click(x, y)

    expect(slider_z0).not_to_have_value(before_value)
    wait_until_idle(page)
    assert_no_error(page)
    after, after_caption = decoded_digit(page)
    assert after_caption != before_caption
    assert float(slider_z0.input_value()) > 0
    assert np.abs(after - before).mean() > DIFFERENT_DIGITS

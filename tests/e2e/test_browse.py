"""Every page opens in a real browser, shows no error and draws what it should."""

import pytest
from playwright.sync_api import expect

from .ui import (
    NAV_LINK,
    assert_charts_drawn,
    assert_images_drawn,
    assert_no_error,
    open_page,
    save_screenshot,
)

pytestmark = pytest.mark.e2e

# Title in the navigation, URL path, and what the page must draw on opening.
PAGES = [
    ("Reconstructions", "", {"images": 3}),  # originals, a model, PCA
    ("Train", "train", {"charts": 1}),  # how the pretrained model trained
    ("Noise", "noise", {"images": 4}),  # clean, noisy, denoiser, plain model
    ("Codes", "codes", {"charts": 1}),
    ("Latent space (VAE)", "latent", {"images": 1}),  # the manifold
    ("Sequences (LSTM)", "sequences", {"charts": 1, "images": 2}),
]


def test_navigation_lists_every_page(page, app_url):
    page.goto(app_url)
    links = page.locator(NAV_LINK)
    expect(links).to_have_count(len(PAGES))
    titles = [text.strip() for text in links.all_inner_texts()]
    assert titles == [title for title, _, _ in PAGES]


@pytest.mark.parametrize(
    "url_path, expected",
    [(path, expected) for _, path, expected in PAGES],
    ids=[path or "reconstructions" for _, path, _ in PAGES],
)
def test_page_opens_and_draws(page, app_url, url_path, expected):
    open_page(page, f"{app_url}/{url_path}")
    assert_no_error(page)

    charts = assert_charts_drawn(page)
    images = assert_images_drawn(page)
    assert charts >= expected.get("charts", 0), f"{charts} charts on /{url_path}"
    assert images >= expected.get("images", 0), f"{images} images on /{url_path}"
    save_screenshot(page, url_path or "reconstructions")

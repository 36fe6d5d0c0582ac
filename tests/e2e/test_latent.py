"""The VAE's latent space: the browser decodes each chosen point, as Keras would."""

import numpy as np
import pytest
from playwright.sync_api import expect

import ae_core
from ae_core.numpy_decoder import NumpyDecoder

from .ui import assert_no_error, open_page, wait_until_idle

pytestmark = pytest.mark.e2e

EXPLORER = ".explorer"
# Mean absolute grey-level difference (0-255) above which two digits differ.
DIFFERENT_DIGITS = 10.0

_PIXELS_JS = """
canvas => Array.from(
    canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data
)
"""


@pytest.fixture(scope="module")
def decode():
    """The pretrained VAE's decoder, which the app serves on the sample too."""
    model = ae_core.load_run(ae_core.PRETRAINED_DIR / "vae").model
    decoder = NumpyDecoder.of(ae_core.models.decoder_of(model))
    return lambda point: 255 * decoder(np.array([point], np.float32))[0]


def shown_digit(page):
    """The decoded digit beside the map, as grey levels 0-255."""
    rgba = np.array(page.locator("canvas.digit").evaluate(_PIXELS_JS), float)
    return rgba.reshape(28, 28, 4)[..., 0]


def chosen_point(page):
    text = page.locator(EXPLORER).get_attribute("data-point")
    return tuple(float(v) for v in text.split(","))


def assert_shows_decoding_of_point(page, decode):
    point = chosen_point(page)
    difference = np.abs(shown_digit(page) - decode(point)).max()
    assert difference <= 1.5, f"the digit at {point} is off by {difference} levels"


def test_a_drag_on_the_map_decodes_every_point_without_the_server(
    page, app_url, decode
):
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(f)))
    open_page(page, f"{app_url}/latent")
    assert_no_error(page)
    assert chosen_point(page) == (0.0, 0.0)
    assert_shows_decoding_of_point(page, decode)
    before = shown_digit(page)

    # Drag from the middle of the map to its upper right
    page.locator("canvas.map").scroll_into_view_if_needed()
    box = page.locator("canvas.map").bounding_box()
    frames_before = len(sent)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    for step in range(1, 11):
        x, y = 0.5 + 0.035 * step, 0.5 - 0.035 * step
        page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"])
    page.mouse.up()

    expect(page.locator(EXPLORER)).not_to_have_attribute("data-point", "0.0000,0.0000")
    z0, z1 = chosen_point(page)
    assert z0 > 1 and z1 > 1
    assert_shows_decoding_of_point(page, decode)
    assert np.abs(shown_digit(page) - before).mean() > DIFFERENT_DIGITS
    assert len(sent) == frames_before, "the drag sent messages to the server"


def test_sliders_and_keys_move_the_point_and_a_reload_keeps_it(page, app_url, decode):
    open_page(page, f"{app_url}/latent")
    z0_slider = page.get_by_role("slider", name="z[0]")
    limit = float(z0_slider.get_attribute("max"))

    z0_slider.press("End")
    page.get_by_role("slider", name="z[1]").press("Home")
    expect(page.locator(EXPLORER)).to_have_attribute(
        "data-point", f"{limit:.4f},{-limit:.4f}"
    )
    page.locator("canvas.map").press("ArrowLeft")
    expect(page.locator(EXPLORER)).to_have_attribute(
        "data-point", f"{limit - 0.05:.4f},{-limit:.4f}"
    )
    assert_shows_decoding_of_point(page, decode)

    page.reload()
    wait_until_idle(page)
    assert chosen_point(page) == pytest.approx((limit - 0.05, -limit), abs=1e-4)
    assert_shows_decoding_of_point(page, decode)


def test_the_posts_range_widens_the_map_to_15(page, app_url):
    open_page(page, f"{app_url}/latent")
    page.get_by_text("-15 to 15, as in the post").click()
    wait_until_idle(page)
    assert_no_error(page)
    expect(page.get_by_role("slider", name="z[0]")).to_have_attribute("max", "15")
    page.get_by_role("slider", name="z[0]").press("End")
    expect(page.locator(EXPLORER)).to_have_attribute("data-point", "15.0000,0.0000")

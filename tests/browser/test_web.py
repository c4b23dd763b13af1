"""The web page in a real browser: photo, webcam, mood picker, strategy, likes, errors, phone layout."""

from __future__ import annotations

import re

import cv2
import httpx
import numpy as np
import pytest

from .conftest import CHROMIUM, LAUNCH_ARGS

HAPPY_RGB = (0xE8, 0xA5, 0x00)  # --happy in style.css


def jpeg(rgb: np.ndarray) -> bytes:
    return cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))[1].tobytes()


def test_page_loads_only_from_the_server_with_privacy_note_and_empty_states(page, server, shoot):
    requests, problems = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto("/")
    expect = pytest.importorskip("playwright.sync_api").expect
    expect(page.locator("#privacy-note")).to_contain_text("analysed in memory and never stored")
    expect(page.locator("#mood-text")).to_be_enabled()
    expect(page.locator("#mood-text-use")).to_be_visible()
    expect(page.locator("#playlist-empty")).to_be_visible()
    expect(page.locator("#mood-summary")).to_contain_text("No reading yet")
    page.wait_for_load_state("networkidle")
    shoot(page, "01-empty-page")
    page.select_option("#mood-select", "fear")
    expect(page.locator("#playlist li")).to_have_count(6)
    assert requests and all(u.startswith(server) or u.startswith("data:") for u in requests), requests
    assert problems == []  # no script errors, no Content-Security-Policy violations


def test_pick_a_mood_then_change_the_strategy(page, shoot):
    expect = pytest.importorskip("playwright.sync_api").expect
    page.goto("/")
    page.select_option("#mood-select", "sad")
    expect(page.locator("#playlist li")).to_have_count(6)
    expect(page.locator("#mood-summary strong")).to_have_text("sad")
    expect(page.locator(".bar-row.top .bar-label")).to_have_text("sad")
    expect(page.locator(".bar-row.top .bar-value")).to_have_text("100%")
    match_titles = page.locator("#playlist .track-title").all_inner_texts()
    first = page.locator("#playlist li").first
    expect(first.locator(".track-reason")).not_to_be_empty()
    expect(first.locator("a.spotify")).to_have_attribute("href", re.compile(r"^https://open\.spotify\.com/"))
    expect(first.locator("a.youtube")).to_have_attribute("href", re.compile(r"^https://www\.youtube\.com/results"))
    shoot(page, "02-mood-sad-match")
    page.click("label[for=strategy-uplift]")
    expect(page.locator("#playlist .track-title").first).not_to_have_text(match_titles[0])
    assert page.locator("#playlist .track-title").all_inner_texts() != match_titles
    shoot(page, "03-mood-sad-uplift")


def test_text_reads_a_mood_alone_and_fused_with_a_photo(page, shoot, face_scenes):
    expect = pytest.importorskip("playwright.sync_api").expect
    page.goto("/")
    page.fill("#mood-text", "i feel so sad and lonely today")
    page.click("#mood-text-use")
    expect(page.locator("#playlist li")).to_have_count(6)
    expect(page.locator("#mood-summary strong")).to_have_text("sad")
    expect(page.locator("#mood-summary")).to_contain_text("from your text")
    expect(page.locator("#mood-text-note")).to_contain_text("Your text reads sad")
    page.set_input_files(
        "#photo-input",
        files=[{"name": "me.jpg", "mimeType": "image/jpeg", "buffer": jpeg(face_scenes["happy"])}],
    )
    expect(page.locator("#photo-caption")).to_contain_text("1 face found: happy")
    page.click("#mood-text-use")
    expect(page.locator("#mood-summary")).to_contain_text(re.compile(r"face \d+% · text \d+%"))
    shoot(page, "04b-text-and-face")
    page.fill("#mood-text", "   ")
    page.click("#mood-text-use")  # only whitespace: nothing is sent
    page.fill("#mood-text", "Estoy muy triste hoy porque perdí mi trabajo")
    page.click("#mood-text-use")  # the face still counts; the note says the text was not used
    expect(page.locator("#mood-text-note")).to_contain_text("not used")


def test_like_is_persisted_and_shown_again_after_a_reload(page, server, shoot):
    expect = pytest.importorskip("playwright.sync_api").expect
    page.goto("/")
    page.select_option("#mood-select", "happy")
    item = page.locator("#playlist li").first
    track_id = item.get_attribute("data-track-id")
    item.locator("button.like").click()
    expect(item.locator("button.like")).to_have_attribute("aria-pressed", "true")
    expect(item.locator(".feedback-note")).to_have_text("Liked — saved")
    page.locator("#playlist li").nth(1).locator("button.skip").click()
    expect(page.locator("#playlist li").nth(1)).to_have_class(re.compile("skipped"))
    shoot(page, "04-liked")

    user = page.evaluate("localStorage.getItem('moodtune.user')")
    events = httpx.get(f"{server}/api/v1/feedback", params={"user_id": user}).json()["events"]
    assert {"track_id": track_id, "action": "like", "emotion": "happy"}.items() <= next(
        e for e in events if e["track_id"] == track_id
    ).items()
    assert [e["action"] for e in events] == ["skip", "like"]

    page.reload()
    page.select_option("#mood-select", "happy")
    expect(page.locator(f'#playlist li[data-track-id="{track_id}"] button.like')).to_have_attribute(
        "aria-pressed", "true"
    )


def test_upload_a_text_file_shows_the_error(page, shoot):
    expect = pytest.importorskip("playwright.sync_api").expect
    page.goto("/")
    page.set_input_files("#photo-input", files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hi"}])
    expect(page.locator("#error")).to_be_visible()
    expect(page.locator("#error-text")).to_contain_text("not a supported photo type")
    shoot(page, "05-error-text-file")
    page.click("#error-close")
    expect(page.locator("#error")).to_be_hidden()
    page.set_input_files(
        "#photo-input",
        files=[{"name": "broken.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff broken"}],
    )
    expect(page.locator("#error-text")).to_contain_text("not a recognised image format")


def test_upload_a_photo_shows_boxes_probabilities_and_tracks(page, shoot, face_scenes):
    expect = pytest.importorskip("playwright.sync_api").expect
    page.goto("/")
    page.set_input_files(
        "#photo-input",
        files=[{"name": "me.jpg", "mimeType": "image/jpeg", "buffer": jpeg(face_scenes["happy"])}],
    )
    expect(page.locator("#photo-caption")).to_contain_text("1 face found: happy")
    expect(page.locator(".bar-row.top .bar-label")).to_have_text("happy")
    expect(page.locator(".bar-row")).to_have_count(7)
    expect(page.locator("#playlist li")).to_have_count(6)
    expect(page.locator("#playlist .track-reason").first).to_contain_text("happy mood")
    shoot(page, "06-photo-happy")
    # The box is drawn on the canvas in the happy colour, around the face in the middle of the photo.
    pixels = page.evaluate(
        """() => {
          const c = document.getElementById('photo-canvas');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let hits = 0;
          for (let i = 0; i < d.length; i += 4) {
            if (Math.abs(d[i] - 0xe8) < 12 && Math.abs(d[i + 1] - 0xa5) < 12 && d[i + 2] < 20) hits++;
          }
          return [c.width, c.height, hits];
        }"""
    )
    assert pixels[:2] == [640, 480] and pixels[2] > 500

    # Dragging a photo onto the drop zone works the same way.
    page.evaluate(
        """(bytes) => {
          const file = new File([new Uint8Array(bytes)], 'sad.jpg', {type: 'image/jpeg'});
          const data = new DataTransfer();
          data.items.add(file);
          const drop = new DragEvent('drop', {dataTransfer: data, bubbles: true});
          document.getElementById('dropzone').dispatchEvent(drop);
        }""",
        list(jpeg(face_scenes["sad"])),
    )
    expect(page.locator("#photo-caption")).to_contain_text("1 face found: sad")
    expect(page.locator(".bar-row.top .bar-label")).to_have_text("sad")
    expect(page.locator("#playlist .track-reason").first).to_contain_text("sad mood")
    expect(page.locator("#playlist")).not_to_have_attribute("aria-busy", "true")
    shoot(page, "06b-photo-dropped-sad")


def test_heat_map_toggle_draws_grad_cam_over_the_photo(page, shoot, face_scenes):
    expect = pytest.importorskip("playwright.sync_api").expect
    page.goto("/")
    toggle = page.locator("#heatmap-toggle")
    expect(toggle).to_be_disabled()
    page.set_input_files(
        "#photo-input",
        files=[{"name": "me.jpg", "mimeType": "image/jpeg", "buffer": jpeg(face_scenes["happy"])}],
    )
    expect(page.locator("#photo-caption")).to_contain_text("1 face found: happy")
    expect(toggle).to_be_enabled()
    expect(page.get_by_label("Show heat map")).to_be_visible()
    expect(page.locator("#heatmap-caption")).to_be_hidden()
    canvas = "document.getElementById('photo-canvas').toDataURL()"
    before = page.evaluate(canvas)

    with page.expect_response("**/api/v1/explain") as answer:
        toggle.focus()
        page.keyboard.press("Space")  # keyboard usable
    assert answer.value.status == 200
    expect(toggle).to_be_checked()
    expect(page.locator("#heatmap-caption")).to_be_visible()
    expect(page.locator("#heatmap-caption")).to_have_text("Heat map: where the model saw the emotion (Grad-CAM)")
    expect(toggle).to_be_enabled()
    page.wait_for_function(f"{canvas} !== {before!r}")
    expect(page.locator("#error")).to_be_hidden()
    page.locator("#photo-canvas").scroll_into_view_if_needed()
    shoot(page, "14-heatmap")

    # Off again: the photo is redrawn with only the boxes, as before.
    toggle.click()
    expect(page.locator("#heatmap-caption")).to_be_hidden()
    page.wait_for_function(f"{canvas} === {before!r}")


def test_phone_layout_has_no_sideways_scrolling(browser, server, shoot):
    expect = pytest.importorskip("playwright.sync_api").expect
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=server, is_mobile=True)
    page = context.new_page()
    page.goto("/")
    page.select_option("#mood-select", "neutral")
    expect(page.locator("#playlist li")).to_have_count(6)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(page, "07-phone")
    context.close()


def test_keyboard_reaches_every_control_and_picks_a_mood(page, shoot):
    expect = pytest.importorskip("playwright.sync_api").expect
    page.goto("/")
    seen = []
    for _ in range(12):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.id || document.activeElement.className"))
    for control in ("photo-input", "webcam-toggle", "mood-select", "strategy-match"):
        assert control in seen, seen
    page.focus("#mood-select")
    page.keyboard.press("ArrowDown")  # the first real mood: angry
    expect(page.locator("#playlist li")).to_have_count(6)
    expect(page.locator("#mood-summary strong")).to_have_text("angry")
    page.focus("#strategy-match")
    page.keyboard.press("ArrowRight")  # radio group: to uplift
    expect(page.locator("#strategy-uplift")).to_be_checked()
    outline = page.evaluate("getComputedStyle(document.querySelector('label[for=strategy-uplift]')).outlineStyle")
    assert outline == "solid"  # the focused radio's label shows the focus ring
    shoot(page, "08-keyboard-focus")


# --- webcam: Chromium's fake camera plays a .y4m the test writes -----------------------------------


def write_y4m(path, segments, fps: int = 4) -> None:
    """``segments``: [(RGB frame 640×480, seconds), ...] → a YUV4MPEG2 (I420) file."""
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W640 H480 F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for rgb, seconds in segments:
            planes = cv2.cvtColor(rgb, cv2.COLOR_RGB2YUV_I420).tobytes()
            for _ in range(int(seconds * fps)):
                out.write(b"FRAME\n" + planes)


def test_webcam_follows_the_mood_from_happy_to_sad(playwright, server, shoot, face_scenes, tmp_path):
    expect = pytest.importorskip("playwright.sync_api").expect
    video = tmp_path / "camera.y4m"
    write_y4m(video, [(face_scenes["happy"], 6), (face_scenes["sad"], 6)])
    args = LAUNCH_ARGS + [
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server)
        context.grant_permissions(["camera"])
        page = context.new_page()
        page.goto("/")
        page.click("#webcam-toggle")
        expect(page.locator("#webcam-toggle")).to_have_text("Stop webcam")
        expect(page.locator("#live-mood")).to_have_text("happy", timeout=20_000)
        expect(page.locator("#playlist li")).to_have_count(6)
        happy_titles = page.locator("#playlist .track-title").all_inner_texts()
        page.wait_for_timeout(1000)  # a few frames of boxes and timeline for the screenshot
        shoot(page, "09-webcam-happy")
        expect(page.locator("#live-mood")).to_have_text("sad", timeout=30_000)
        expect(page.locator(".bar-row.top .bar-label")).to_have_text("sad", timeout=5_000)
        page.wait_for_timeout(500)
        assert page.locator("#playlist .track-title").all_inner_texts() != happy_titles
        shoot(page, "10-webcam-sad")
        page.click("#webcam-toggle")
        expect(page.locator("#webcam-toggle")).to_have_text("Start webcam")
        expect(page.locator("#video-wrap")).to_be_hidden()
    finally:
        browser.close()


# --- the Spotify player: only for tracks with a Spotify id, only when asked for ------------------------


@pytest.fixture(scope="module")
def server_with_spotify_ids(tmp_path_factory):
    from moodtune.delivery.api import Settings, create_app
    from moodtune.music.catalog import parse_catalog_rows

    from .conftest import _ServerThread

    rows = [
        {"title": f"Song {i}", "artist": f"Band {i}", "year": "2001", "genres": "pop", "valence": "0.8",
         "arousal": "0.5", "spotify_id": "4uLU6hMCjMI75M1A2tKUQC" if i == 0 else ""}
        for i in range(4)
    ]  # fmt: skip
    db = tmp_path_factory.mktemp("spotify-db") / "moodtune.db"
    app = create_app(Settings(database_url=f"sqlite:///{db}"), catalog=parse_catalog_rows(rows))
    with _ServerThread(app) as url:
        yield url


def test_spotify_player_is_offered_only_for_tracks_with_an_id(browser, server_with_spotify_ids, shoot):
    expect = pytest.importorskip("playwright.sync_api").expect
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server_with_spotify_ids)
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto("/")
    page.select_option("#mood-select", "happy")
    expect(page.locator("#playlist li")).to_have_count(4)
    expect(page.locator("#playlist button.play")).to_have_count(1)
    item = page.locator("#playlist li:has(button.play)")
    expect(item.locator(".track-title")).to_have_text("Song 0")
    assert not any("spotify.com" in u for u in requests)  # nothing from Spotify until asked
    item.locator("button.play").click()
    frame = item.locator("iframe")
    expect(frame).to_have_attribute("src", "https://open.spotify.com/embed/track/4uLU6hMCjMI75M1A2tKUQC")
    expect(item.locator("button.play")).to_have_attribute("aria-expanded", "true")
    shoot(page, "11-spotify-player")
    item.locator("button.play").click()
    expect(item.locator(".player")).to_be_hidden()
    context.close()


def test_without_the_model_the_page_says_so_and_moods_still_work(browser, tmp_path_factory, shoot):
    expect = pytest.importorskip("playwright.sync_api").expect
    from moodtune.delivery.api import Settings, create_app

    from .conftest import _ServerThread

    db = tmp_path_factory.mktemp("no-model-db") / "moodtune.db"
    app = create_app(Settings(database_url=f"sqlite:///{db}", expression_model="no_such_model"))
    with _ServerThread(app) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=url)
        page = context.new_page()
        page.goto("/")
        expect(page.locator("#notice")).to_contain_text("Reading faces is unavailable")
        # Listeners are told what still works, not the operator's install instructions.
        assert not re.search(r"pip |install|model", page.locator("#notice").inner_text())
        page.select_option("#mood-select", "neutral")
        expect(page.locator("#playlist li")).to_have_count(6)
        expect(page.locator("#notice")).to_be_visible()
        shoot(page, "12-no-model-notice")
        context.close()


# --- journeys and playlist export ------------------------------------------------------------------------


def test_journey_plays_in_order_to_the_picked_target_and_saves_as_m3u(page, shoot):
    expect = pytest.importorskip("playwright.sync_api").expect
    page.goto("/")
    expect(page.locator("#journey-target-row")).to_be_hidden()
    page.select_option("#mood-select", "sad")
    expect(page.locator("#playlist li")).to_have_count(6)
    expect(page.locator("#playlist-summary")).to_be_hidden()
    expect(page.locator(".track-waypoint")).to_have_count(0)

    page.click("label[for=strategy-journey]")
    expect(page.locator("#journey-target-row")).to_be_visible()
    expect(page.locator("#playlist-summary")).to_contain_text("A journey in 6 steps towards happy")
    reasons = page.locator("#playlist .track-reason")
    expect(reasons.first).to_contain_text("Step 1 of 6, where you are")
    expect(reasons.nth(5)).to_contain_text("Step 6 of 6")
    expect(page.locator("#playlist .track-waypoint")).to_have_count(6)
    expect(page.locator("#playlist .track-waypoint").first).to_have_text("Step 1 aims at valence −0.63 · arousal −0.27")
    shoot(page, "15-journey-to-happy")

    page.select_option("#journey-target", "calm")
    expect(page.locator("#playlist-summary")).to_contain_text("towards calm")
    expect(reasons.nth(5)).to_contain_text("calm")
    titles = page.locator("#playlist .track-title").all_inner_texts()
    with page.expect_download() as download:
        page.click("#export-m3u")
    assert download.value.suggested_filename == "moodtune-journey.m3u"
    text = open(download.value.path(), encoding="utf-8").read()
    lines = text.splitlines()
    assert lines[0] == "#EXTM3U" and lines[1].endswith("to calm")
    assert [line.split(" - ", 1)[1] for line in lines[2::2]] == titles  # the list shown, in the same order
    shoot(page, "16-journey-to-calm")

    page.click("label[for=strategy-match]")
    expect(page.locator("#journey-target-row")).to_be_hidden()
    expect(page.locator("#playlist .track-waypoint")).to_have_count(0)


def test_api_docs_render_every_operation_from_the_package(page, server, shoot):
    """Swagger UI must read the OpenAPI 3.1 schema FastAPI writes, with no request leaving the server."""
    expect = pytest.importorskip("playwright.sync_api").expect
    requests, problems = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto("/docs")
    expect(page.locator(".opblock").first).to_be_visible(timeout=15_000)
    shoot(page, "docs-operations")
    assert "Unable to render" not in page.content()
    schema = httpx.get(f"{server}/api/openapi.json").json()
    listed = {(method.upper(), path) for path, operations in schema["paths"].items() for method in operations}
    blocks = page.locator(".opblock").all()
    shown = {
        (b.locator(".opblock-summary-method").inner_text().strip(), b.locator("[data-path]").get_attribute("data-path"))
        for b in blocks
    }
    assert listed and listed <= shown, listed - shown
    assert all(u.startswith(server) or u.startswith("data:") for u in requests), requests
    assert problems == []

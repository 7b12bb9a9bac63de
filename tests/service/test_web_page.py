"""The web page at / in headless Chromium, as a person uses it.

Paste an article, press Analyze, see each quote highlighted in place (with a
speaker underlined), click one to read its speaker, actor, frame, target,
stance and tag, correct its labels and send them: the page asks for the API
token the server wants, and the correction lands in the feedback database.
Saves a screenshot to build/screenshots/web_page.png.

Needs Debian's chromium (see browser_helpers.py).
"""
from __future__ import annotations

import math
import sqlite3

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser_helpers import LAUNCH_ARGS, chromium_path
from service.app import create_app
from service.engine import load
from service.feedback import read_feedback
from service.settings import Settings
from tests.service_helpers import LiveServer
from tests.conftest import REPO

pytestmark = pytest.mark.slow  # a browser: minutes

SCREENSHOT = REPO / "build" / "screenshots" / "web_page.png"
TOKEN = "page-token"
# An emoji first: the server's offsets count code points, JavaScript's strings UTF-16 units.
ARTICLE = ("🇵🇱 Border report\n\nBelarusian border guards said on Tuesday that Polish forces had pushed migrants "
           "back across the border. “They have been deceived,” Polish police said.")


@pytest.fixture(scope="module")
def site(tiny_model, tmp_path_factory):
    """The service on the tiny random-weight model, and the labels its Analyzer gives the article."""
    db = tmp_path_factory.mktemp("page") / "feedback.db"
    settings = Settings(feedback_db=str(db), api_token=TOKEN, model=str(tiny_model))
    expected = load(settings, settings.model).analyze(ARTICLE, id="page")
    with LiveServer(create_app(settings)) as url:
        yield url, db, expected


def shown(label: str | None, score: float | None = None) -> str:
    """How the page shows a label and its score: "deception (90%)", "—" for none."""
    return (label or "—") + ("" if score is None else f" ({math.floor(score * 100 + 0.5)}%)")  # JS Math.round


@pytest.fixture(scope="module")
def page(site):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(20_000)
        yield page
        browser.close()


def test_paste_see_quotes_correct_and_send_feedback(site, page):
    url, db, expected = site
    page.goto(url + "/")
    expect(page.locator("#model")).to_contain_text("tiny-model")

    page.fill("#text", ARTICLE)
    page.click("#analyze")
    marks = page.locator("#article mark.quote")
    expect(marks).to_have_count(2)
    expect(page.locator("#status")).to_have_text("2 quotes")
    # Highlighted in place: the marked words are the quotes, at their places in the article.
    assert marks.nth(0).evaluate("m => m.firstChild.textContent") == "Polish forces had pushed migrants back across the border"
    assert marks.nth(1).evaluate("m => m.firstChild.textContent") == "They have been deceived,"
    assert page.locator("#article").evaluate("a => a.textContent.replace(/(?<=[a-z,])[12](?=\\W)/g, '')") == ARTICLE
    expect(page.locator("#article span.speaker")).to_have_text(["Belarusian border guards", "Polish police"])
    expect(page.locator("#quotes tbody tr")).to_have_count(2)

    marks.nth(1).click()
    expect(page.locator("#d-speaker")).to_have_text("Polish police")
    expect(page.locator("#d-actor")).to_have_text("Poland")
    deceived = expected.quotes[1]
    expect(page.locator("#d-frame")).to_have_text(shown(deceived.frame, deceived.frame_score))
    expect(page.locator("#d-target")).to_have_text(shown(deceived.target))
    expect(page.locator("#d-stance")).to_have_text(shown(deceived.stance, deceived.stance_score))
    expect(page.locator("#d-tag")).to_have_text(deceived.tag)

    page.select_option("#c-frame", "blame")
    page.fill("#c-target", "Belarus")
    page.select_option("#c-stance", "against")
    page.click("#send")
    expect(page.locator("#sent")).to_contain_text("Bearer")  # the server wants a token...
    expect(page.locator("#token-box")).to_be_visible()  # ...and the page asks for it
    page.fill("#c-token", TOKEN)
    page.click("#send")
    expect(page.locator("#sent")).to_have_text("thank you: stored as feedback #1")

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000

    (stored,) = read_feedback(db)
    assert (stored["text"], stored["frame"], stored["target"], stored["stance"]) == (
        "They have been deceived,", "blame", "Belarus", "against")
    assert (stored["speaker"], stored["speaker_actor"]) == ("Polish police", "Poland")
    assert "They have been deceived" in stored["context"]
    with sqlite3.connect(db) as conn:  # where in which article the quote was
        start, end, article = conn.execute('SELECT start, "end", article_id FROM feedback').fetchone()
    assert (article, ARTICLE[start:end]) == ("page", "They have been deceived,")


def test_bad_input_shows_the_message(site, page):
    url, _, _ = site
    page.goto(url + "/")
    page.fill("#text", "   ")
    page.click("#analyze")
    expect(page.locator("#status")).to_contain_text("the text is empty")
    expect(page.locator("#status")).to_have_class("error")

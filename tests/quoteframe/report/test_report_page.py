"""The report's index.html in headless Chromium, as an analyst reads it.

Articles of our own are scored with `quoteframe score` (the default model)
and reported with `quoteframe report`; the page is opened from disk as a
file, offline. Click a tie: its quotes open under it, each highlighted in
its sentence, with speaker, article and date. Saves a screenshot to
build/screenshots/report_page.png.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser_helpers import LAUNCH_ARGS, chromium_path
from quoteframe.cli import main
from tests.conftest import REPO

pytestmark = pytest.mark.slow

SCREENSHOT = REPO / "build" / "screenshots" / "report_page.png"
ATTACK = "<img src=x onerror=alert(1)>"
ARTICLES = [
    {"id": "own-1", "date": "2022-03-06", "text":
        "Polish Interior Minister Anna Nowak accused Belarus of pushing migrants towards the fence. "
        f"\"Belarus {ATTACK} is using these people as a weapon,\" Nowak said in Warsaw. "
        "A Belarusian spokesman said the accusations were lies."},
    {"id": "own-2", "date": "2022-03-08", "text":
        "Ukraine's foreign minister said Russia had shelled the grain port again overnight. "
        "\"Russia is attacking civilians while it talks of peace,\" he told reporters in Kyiv. "
        "Russia's defence ministry said it had struck only military targets."},
    {"id": "own-3", "date": "2022-03-09", "text":
        "The Red Cross said thousands of families near the border had no clean water. "
        "\"Children are sleeping in the cold,\" a Red Cross spokeswoman said."},
    {"id": "own-4", "text":
        "Polish Defence Minister Mariusz Blaszczak said Belarusian forces had fired shots into the air "
        "near the fence on Monday. \"This is a provocation by Minsk,\" Blaszczak said."},
]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """The report folder of the scored ARTICLES (beside it: scored.parquet)."""
    folder = tmp_path_factory.mktemp("report_page")
    archive = folder / "articles.jsonl"
    archive.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    assert main(["score", str(archive), "--out", str(folder / "scored.parquet"), "--workers", "0"]) == 0
    assert main(["report", str(folder / "scored.parquet"), "--out", str(folder / "report")]) == 0
    return folder / "report"


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, report):
    """index.html opened from disk; ``page.requests`` and ``page.dialogs`` record what it asked for."""
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.set_default_timeout(20_000)
    page.requests, page.dialogs = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto((report / "index.html").as_uri())
    yield page
    page.close()


def tie(page, actor: str, target: str, frame: str):
    """The <details> of one tie: its summary reads "ACTOR → TARGET: N FRAME quote(s)"."""
    words = re.compile(rf"^{re.escape(actor)} → {re.escape(target)}: \d+ {re.escape(frame)} quotes?$")
    return page.locator("details.tie", has=page.locator("summary", has_text=words))


def test_clicking_a_tie_shows_its_quotes_highlighted_in_their_sentences(page):
    poland_belarus = tie(page, "Poland", "Belarus", "blame")
    quotes = poland_belarus.locator("blockquote")
    expect(quotes.first).to_be_hidden()  # closed until clicked

    poland_belarus.locator("summary").click()
    expect(quotes.first).to_be_visible()
    marks = poland_belarus.locator("blockquote mark")
    texts = marks.all_text_contents()
    assert "Belarus of pushing migrants towards the fence" in texts
    assert f"Belarus {ATTACK} is using these people as a weapon," in texts
    accused = quotes.filter(has_text="pushing migrants")
    expect(accused).to_have_text("Polish Interior Minister Anna Nowak accused Belarus of pushing migrants "
                                 "towards the fence.")  # the sentence, quote and all
    source = poland_belarus.locator(".source").filter(has_text="own-1").first
    expect(source).to_contain_text("Anna Nowak")
    expect(source).to_contain_text("2022-03-06")
    highlight = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert highlight not in ("rgba(0, 0, 0, 0)", "transparent"), "the quote stands out from its sentence"

    poland_belarus.scroll_into_view_if_needed()
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000


def test_a_quote_without_a_date_names_its_speaker_and_article(page, report):
    quotes = pd.read_csv(report / "tie_quotes.csv")
    undated = quotes[quotes.article_id == "own-4"].iloc[0]
    assert pd.isna(undated.date)
    blaszczak = tie(page, undated.speaker_actor, undated.target, undated.frame)
    blaszczak.locator("summary").click()
    source = blaszczak.locator(".source").filter(has_text="own-4").first
    expect(source).to_be_visible()
    speaker, article, score = source.inner_text().split(" · ")
    assert (speaker, article, score[:12]) == (undated.speaker_name, "article own-4", "frame score "), "and no date"


def test_a_link_in_the_table_of_ties_opens_the_quotes_of_its_row(page, report):
    ties = pd.read_csv(report / "ties.csv")
    links = page.locator("table a[href$='-quotes']")
    expect(links).to_have_count(len(ties))
    last = ties.iloc[-1]
    links.last.click()
    opened = page.locator("details.tie[open]")
    expect(opened).to_have_count(1)
    expect(opened.locator("summary")).to_contain_text(f"{last.speaker_actor} → {last.target}")
    expect(opened.locator("blockquote mark")).to_have_count(int(last.quotes))


def test_markup_in_a_quote_is_shown_as_text_and_runs_nothing(page):
    for summary in page.locator("details.tie summary").all():
        summary.click()
    expect(page.locator("mark", has_text=ATTACK)).to_have_count(1)
    assert page.locator("details img").count() == 0 and page.dialogs == []


def test_the_page_asks_for_nothing_but_itself_and_its_charts_are_drawn(page, report):
    assert page.requests == [(report / "index.html").as_uri()], "offline: no script, font, CDN or image file"
    images = page.locator("img")
    expect(images).to_have_count(3)  # heatmap, frame shares, trends
    for image in images.all():
        assert image.evaluate("i => i.complete && i.naturalWidth") > 300


def test_tie_quotes_csv_holds_each_targeted_quote_once_with_its_sentence(report):
    scored = pd.read_parquet(report.parent / "scored.parquet")
    quotes = pd.read_csv(report / "tie_quotes.csv", keep_default_na=False)
    targeted = scored[scored.target.notna()]
    assert sorted(zip(quotes.article_id, quotes.quote_index)) == sorted(zip(targeted.article_id, targeted.quote_index))
    for q in quotes.itertuples():
        assert q.text in q.sentence
    ties = pd.read_csv(report / "ties.csv")
    assert len(quotes) == ties.quotes.sum()

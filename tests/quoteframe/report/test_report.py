"""`quoteframe report`: what a user finds in the report folder of a scored archive.

Small scored tables (the row schema of ``quoteframe.batch.rows``) are written
as Parquet and JSON Lines in tmp_path; the checks read the CSV files, the
PNGs and index.html as a user would.
"""
from __future__ import annotations

import argparse
import base64
import doctest
import gzip
import html
import importlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from quoteframe.batch.rows import QUOTE_FIELDS
from quoteframe.errors import InputError
from quoteframe.report import write_report
from quoteframe.report.command import add_report_parser

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
LABELS = ["blame", "denial", "threat", "humanitarian", "deception", "de-escalation", "measures", "neutral"]

# (article, date, speaker, actor, frame, target): Belarus blames Poland twice, Poland blames Belarus once
QUOTES = [
    ("a1", "2021-11-08", "Viktor Khrinin", "Belarus", "blame", "Poland"),
    ("a1", "2021-11-08", "Viktor Khrinin", "Belarus", "deception", "migrants"),
    ("a1", "2021-11-08", "Polish police", "Poland", "deception", "migrants"),
    ("a2", "2021-11-09", "Alexander Lukashenko", "Belarus", "blame", "Poland"),
    ("a2", "2021-11-09", "Mariusz Blaszczak", "Poland", "blame", "Belarus"),
    ("a2", "2021-11-09", "Mariusz Blaszczak", "Poland", "measures", "migrants"),
    ("a3", "2021-11-10", "Dmitry Peskov", "Russia", "denial", "EU"),
    ("a3", "2021-11-10", "Elysee Palace", "France", "de-escalation", None),
    ("a3", "2021-11-10", "Red Cross", "Red Cross", "humanitarian", "migrants"),
    ("a4", "not a date", None, None, "neutral", None),
    ("a4", "2021-11-21", "Viktor Khrinin", "Belarus", "threat", "NATO"),
]


def scored_rows(quotes=QUOTES, with_date: bool = True) -> pd.DataFrame:
    """A scored table in the row schema: article id, metadata, then every quote field.

    Quote i reads "quote i" in the sentence "<speaker> said that quote i today.", which starts at
    offset 100 of its article.
    """
    rows = []
    for i, (article, date, name, actor, frame, target) in enumerate(quotes):
        row = {"article_id": article, "source": "test", "title": f"Story {article}"}
        if with_date:
            row["date"] = date
        row.update({f: None for f in QUOTE_FIELDS})
        prefix, text = f"{name or 'Someone'} said that ", f"quote {i}"
        row.update(quote_index=i, text=text, start=100 + len(prefix), end=100 + len(prefix) + len(text),
                   kind="indirect", cue="said", speaker_name=name, speaker_actor=actor, frame=frame,
                   frame_score=0.9, frames=json.dumps({label: 0.1 for label in LABELS}), target=target,
                   stance="against" if target else None, tag="", sentence=f"{prefix}{text} today.", sentence_start=100)
        rows.append(row)
    return pd.DataFrame(rows)


def write_jsonl(df: pd.DataFrame, path: Path) -> Path:
    lines = "".join(json.dumps(r) + "\n" for r in df.to_dict("records"))
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(lines.encode("utf-8")))
    else:
        path.write_text(lines, encoding="utf-8")
    return path


@pytest.fixture
def parquet(tmp_path) -> Path:
    path = tmp_path / "scored.parquet"
    scored_rows().to_parquet(path)
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[dict, Path]:
    """The report of the QUOTES archive (Parquet), built once: tests only read it."""
    folder = tmp_path_factory.mktemp("built")
    scored_rows().to_parquet(folder / "scored.parquet")
    out = folder / "report"
    return write_report(folder / "scored.parquet", out), out


# -- the tables ------------------------------------------------------------------------
def test_ties_count_who_blames_whom(built):
    _, out = built
    ties = pd.read_csv(out / "ties.csv")
    blame = ties[ties["frame"] == "blame"].set_index(["speaker_actor", "target"])["quotes"]
    assert blame[("Belarus", "Poland")] == 2
    assert blame[("Poland", "Belarus")] == 1
    assert ties["target"].notna().all(), "ties.csv holds only quotes with a target"
    belarus_poland = ties[(ties["frame"] == "blame") & (ties["speaker_actor"] == "Belarus")]
    assert belarus_poland["share_of_actor_quotes"].iloc[0] == pytest.approx(2 / 4, abs=1e-3)


def test_frame_shares_sum_to_one_and_unknown_actor_is_named(built):
    _, out = built
    shares = pd.read_csv(out / "frame_shares.csv")
    frame_columns = [c for c in shares.columns if c not in ("speaker_actor", "quotes")]
    assert set(frame_columns) == {q[4] for q in QUOTES}
    assert shares[frame_columns].sum(axis=1).tolist() == pytest.approx([1.0] * len(shares), abs=1e-3)
    assert shares["speaker_actor"].iloc[0] == "Belarus" and shares["quotes"].iloc[0] == 4
    assert shares["quotes"].is_monotonic_decreasing
    assert "(unknown)" in shares["speaker_actor"].tolist()
    assert shares["quotes"].sum() == len(QUOTES)


def test_top_speakers_counts_quotes_articles_and_frame(built):
    _, out = built
    top = pd.read_csv(out / "top_speakers.csv").set_index("speaker_name")
    assert list(top.columns) == ["speaker_actor", "quotes", "most_common_frame", "articles"]
    khrinin = top.loc["Viktor Khrinin"]
    assert (khrinin["speaker_actor"], khrinin["quotes"], khrinin["articles"]) == ("Belarus", 3, 2)
    assert top.index[0] == "Viktor Khrinin"
    assert top.loc["Mariusz Blaszczak", "articles"] == 1


def test_trends_only_with_a_date_column(built, tmp_path):
    summary, out = built
    trends = pd.read_csv(out / "trends.csv")
    assert summary["date_column"] == "date" and summary["period"] == "day"
    assert trends["period_start"].iloc[0] == "2021-11-08" and trends["period_start"].iloc[-1] == "2021-11-21"
    assert trends["quotes"].sum() == len(QUOTES) - 1, "the unparseable date is skipped"
    assert (out / "trends.png").is_file()

    undated = tmp_path / "undated.jsonl"
    write_jsonl(scored_rows(with_date=False), undated)
    summary = write_report(undated, tmp_path / "undated_report")
    assert summary["date_column"] is None
    assert not (tmp_path / "undated_report" / "trends.csv").exists()
    assert not (tmp_path / "undated_report" / "trends.png").exists()


def test_a_rerun_without_dates_removes_the_old_trends(parquet, tmp_path):
    out = tmp_path / "report"
    write_report(parquet, out)
    undated = tmp_path / "undated.parquet"
    scored_rows(with_date=False).to_parquet(undated)
    write_report(undated, out)
    assert not (out / "trends.csv").exists() and not (out / "trends.png").exists()
    assert "trends.png" not in embedded_charts((out / "index.html").read_text("utf-8"))


def test_published_at_with_mixed_formats_is_a_date_column(tmp_path):
    df = scored_rows(with_date=False)
    df["published_at"] = ["2021-03-01T10:00:00Z", "March 20, 2021", None, "2021-06-01", "garbage"] + ["2021-09-30"] * 6
    path = tmp_path / "scored.parquet"
    df.to_parquet(path)
    summary = write_report(path, tmp_path / "out")
    assert (summary["date_column"], summary["period"]) == ("published_at", "week")
    assert (summary["first_date"], summary["last_date"]) == ("2021-03-01", "2021-09-30")
    assert pd.read_csv(tmp_path / "out" / "trends.csv")["quotes"].sum() == len(QUOTES) - 2


# -- the same report from every input shape ----------------------------------------------------
@pytest.mark.parametrize("name", ["scored.jsonl", "scored.jsonl.gz"])
def test_jsonl_gives_the_same_tables_as_parquet(built, tmp_path, name):
    _, parquet_out = built
    path = write_jsonl(scored_rows(), tmp_path / name)
    out = tmp_path / "from_jsonl"
    write_report(path, out)
    for table in ("frame_shares.csv", "ties.csv", "top_speakers.csv", "trends.csv"):
        assert (out / table).read_text() == (parquet_out / table).read_text(), table


def test_a_folder_of_parts_is_one_archive(tmp_path):
    folder = tmp_path / "scored"
    folder.mkdir()
    df = scored_rows()
    df.iloc[:5].to_parquet(folder / "part-0.parquet")
    write_jsonl(df.iloc[5:], folder / "part-1.jsonl.gz")
    (folder / "notes.txt").write_text("not a part of the archive")
    summary = write_report(folder, tmp_path / "out")
    assert summary["quotes"] == len(QUOTES) and summary["articles"] == 4
    ties = pd.read_csv(tmp_path / "out" / "ties.csv")
    assert ties.loc[(ties["frame"] == "blame") & (ties["speaker_actor"] == "Belarus"), "quotes"].item() == 2


# -- the charts and the page -------------------------------------------------------------------
def test_pngs_are_valid_images(built):
    from PIL import Image

    _, out = built
    for name in ("blame_ties.png", "frame_shares.png", "trends.png"):
        data = (out / name).read_bytes()
        assert data[:8] == PNG_MAGIC, name
        with Image.open(out / name) as image:
            image.verify()
        with Image.open(out / name) as image:
            width, height = image.size
        assert width > 300 and height > 200, (name, image.size)


def embedded_charts(page: str) -> dict[str, bytes]:
    """The PNGs embedded in the page, by the name of the file each one links to."""
    found = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="[^"]*"> <a class="note" href="([^"]+)"',
                       page)
    return {name: base64.b64decode(data) for data, name in found}


def test_index_html_shows_charts_tables_and_ties_in_words(built):
    summary, out = built
    page = (out / "index.html").read_text("utf-8")
    charts = embedded_charts(page)
    for name in ("blame_ties.png", "frame_shares.png", "trends.png"):
        assert charts[name] == (out / name).read_bytes(), f"{name} is embedded, so the page stands alone"
    assert "Belarus → Poland: 2 blame quotes" in page
    assert "Poland → Belarus: 1 blame quote<" in page
    assert "11 quotes from 4 articles" in page
    assert "2021-11-08 to 2021-11-21" in page
    assert page.count("<table") == 4
    assert "http://" not in page and "https://" not in page, "the page needs no external resources"
    assert summary["index"] == str(out / "index.html")


def test_names_from_the_data_are_escaped_in_the_page(tmp_path):
    quotes = [("a1", "2021-11-08", "<b>Bad</b>", "<script>x</script>", "blame", "Poland")] + QUOTES
    path = tmp_path / "scored.parquet"
    scored_rows(quotes).to_parquet(path)
    write_report(path, tmp_path / "out")
    page = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_without_blame_the_heatmap_uses_the_most_targeted_frame_and_says_so(tmp_path):
    renamed = [(a, d, n, actor, {"blame": "accusation"}.get(f, f), t) for a, d, n, actor, f, t in QUOTES]
    path = tmp_path / "scored.parquet"
    scored_rows(renamed).to_parquet(path)
    summary = write_report(path, tmp_path / "out")
    # targeted quotes: accusation 3, deception 2, measures 1, ...
    assert summary["ties_frame"] == "accusation"
    assert 'no "blame" frame' in summary["ties_note"]
    page = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert 'no "blame" frame' in html.unescape(page)
    assert (tmp_path / "out" / "blame_ties.png").read_bytes()[:8] == PNG_MAGIC


def test_a_chosen_frame_drives_the_heatmap(parquet, tmp_path):
    summary = write_report(parquet, tmp_path / "out", frame="deception")
    assert summary["ties_frame"] == "deception"
    assert "Belarus → migrants: 1 deception quote" in (tmp_path / "out" / "index.html").read_text("utf-8")


def test_a_big_label_set_and_many_actors_stay_within_top(tmp_path):
    quotes = [(f"a{i % 50}", f"2020-{1 + i % 12:02d}-01", f"Speaker {i % 70}", f"Actor {i % 30}",
               f"frame_{i % 14}", f"Target {i % 25}") for i in range(600)]
    path = tmp_path / "scored.parquet"
    scored_rows(quotes).to_parquet(path)
    summary = write_report(path, tmp_path / "out", top=5)
    assert summary["actors"] == 30 and len(summary["frames"]) == 14 and summary["period"] == "week"
    page = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert "first 5 of 30 rows" in page
    assert len(pd.read_csv(tmp_path / "out" / "frame_shares.csv")) == 30, "the CSV is complete"


# -- the quotes behind the ties ----------------------------------------------------------------
class TiesOnPage(HTMLParser):
    """What a reader finds under each tie of index.html: its words, and per quote the sentence,
    the highlighted words in it, and the source line."""

    def __init__(self, page: str):
        super().__init__()
        self.ties: dict[str, dict] = {}
        self.links: list[str] = []
        self.ids: set[str] = set()
        self._tie: dict | None = None
        self._into: list | None = None
        self._marking = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.ids.add(attrs.get("id"))
        if tag == "a" and attrs.get("href", "").startswith("#"):
            self.links.append(attrs["href"][1:])
        if tag == "details" and attrs.get("class") == "tie":
            self._tie = self.ties[attrs["id"]] = {"words": [], "quotes": []}
        elif self._tie is None:
            return
        elif tag == "summary":
            self._into = self._tie["words"]
        elif tag == "blockquote":
            self._tie["quotes"].append({"sentence": [], "marked": [], "source": []})
            self._into = self._tie["quotes"][-1]["sentence"]
        elif tag == "mark":
            self._marking = True
            self._tie["quotes"][-1]["marked"].append("")
        elif tag == "p" and attrs.get("class") == "source":
            self._into = self._tie["quotes"][-1]["source"]

    def handle_endtag(self, tag):
        self._marking = self._marking and tag != "mark"
        if tag in ("summary", "blockquote", "p"):
            self._into = None
        if tag == "details":
            self._tie = None

    def handle_data(self, data):
        if self._into is not None:
            self._into.append(data)
            if self._marking:
                self._tie["quotes"][-1]["marked"][-1] += data

    def tie(self, words: str) -> list[dict]:
        """The quotes under the tie that reads ``words``, as plain strings."""
        (found,) = [t for t in self.ties.values() if "".join(t["words"]) == words]
        return [{k: "".join(v) for k, v in q.items()} for q in found["quotes"]]


def read_page(out: Path) -> TiesOnPage:
    return TiesOnPage((out / "index.html").read_text("utf-8"))


def test_tie_quotes_csv_holds_the_quotes_behind_every_tie(built):
    _, out = built
    quotes = pd.read_csv(out / "tie_quotes.csv")
    ties = pd.read_csv(out / "ties.csv")
    counted = quotes.groupby(["frame", "speaker_actor", "target"]).size().rename("n").reset_index()
    assert counted.merge(ties)["n"].tolist() == counted.merge(ties)["quotes"].tolist()
    assert len(counted) == len(ties) and len(quotes) == ties["quotes"].sum()
    belarus_poland = quotes[(quotes.frame == "blame") & (quotes.speaker_actor == "Belarus") & (quotes.target == "Poland")]
    assert list(zip(belarus_poland.article_id, belarus_poland.speaker_name, belarus_poland.date)) == [
        ("a1", "Viktor Khrinin", "2021-11-08"), ("a2", "Alexander Lukashenko", "2021-11-09")]
    assert belarus_poland.sentence.tolist() == ["Viktor Khrinin said that quote 0 today.",
                                                "Alexander Lukashenko said that quote 3 today."]


def test_each_tie_on_the_page_opens_to_its_quotes_highlighted_in_their_sentences(built):
    _, out = built
    page = read_page(out)
    (first, second) = page.tie("Belarus → Poland: 2 blame quotes")
    assert first["sentence"] == "Viktor Khrinin said that quote 0 today." and first["marked"] == "quote 0"
    assert first["source"].split(" · ")[:3] == ["Viktor Khrinin", "article a1", "2021-11-08"]
    assert second["marked"] == "quote 3" and "Alexander Lukashenko" in second["source"]
    # ties of other frames in the table of all ties link to their own quotes
    (measures,) = page.tie("Poland → migrants: 1 measures quote")
    assert measures["marked"] == "quote 5" and "Mariusz Blaszczak" in measures["source"]
    ties = pd.read_csv(out / "ties.csv")
    assert len([link for link in page.links if link.startswith("tie-")]) == len(ties), "one link per table row"
    assert all(link in page.ids for link in page.links), "every link leads to its quotes"


def test_a_tie_shows_its_most_confident_quotes_and_the_csv_holds_all(tmp_path):
    quotes = [(f"a{i}", "2021-11-08", f"Speaker {i}", "Belarus", "blame", "Poland") for i in range(25)]
    df = scored_rows(quotes)
    df["frame_score"] = [0.5 + i / 100 for i in range(25)]
    path = tmp_path / "scored.parquet"
    df.to_parquet(path)
    write_report(path, tmp_path / "out")
    shown = read_page(tmp_path / "out").tie("Belarus → Poland: 25 blame quotes")
    assert [q["marked"] for q in shown] == [f"quote {i}" for i in range(24, 14, -1)], "the 10 most confident, best first"
    assert "The 10 most confident of 25 quotes" in (tmp_path / "out" / "index.html").read_text("utf-8")
    assert len(pd.read_csv(tmp_path / "out" / "tie_quotes.csv")) == 25


def test_markup_in_a_quote_is_text_on_the_page(tmp_path):
    df = scored_rows()
    attack = '<img src=x onerror="alert(1)"></mark><script>alert(2)</script>'
    df.loc[0, "text"] = attack
    df.loc[0, "sentence"] = f"Viktor Khrinin said that {attack} today."
    df.loc[0, "end"] = df.loc[0, "start"] + len(attack)
    path = tmp_path / "scored.parquet"
    df.to_parquet(path)
    write_report(path, tmp_path / "out")
    page = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert "<img src=x" not in page and "<script" not in page and "</mark><script" not in page
    (first, _) = read_page(tmp_path / "out").tie("Belarus → Poland: 2 blame quotes")
    assert first["marked"] == attack, "the reader sees the characters of the quote, highlighted"


def test_rows_scored_before_sentences_were_kept_show_the_quote_alone(tmp_path):
    path = tmp_path / "old.jsonl"
    write_jsonl(scored_rows().drop(columns=["sentence", "sentence_start"]), path)
    write_report(path, tmp_path / "out")
    (first, _) = read_page(tmp_path / "out").tie("Belarus → Poland: 2 blame quotes")
    assert (first["sentence"], first["marked"]) == ("quote 0", "quote 0")
    assert pd.read_csv(tmp_path / "out" / "tie_quotes.csv")["sentence"].isna().all()


def test_odd_values_in_a_json_lines_file_still_give_the_tie_quotes(tmp_path):
    df = scored_rows().astype(object)
    df.loc[0, "text"] = 12345  # a number where the quote's text belongs
    df.loc[3, "start"] = "oops"
    df.loc[1, "quote_index"] = "first"
    df.loc[4, "low_confidence"] = "yes"
    path = write_jsonl(df, tmp_path / "odd.jsonl")
    write_report(path, tmp_path / "out")
    quotes = pd.read_csv(tmp_path / "out" / "tie_quotes.csv", dtype={"text": str})
    assert len(quotes) == 9 and quotes["text"].iloc[0] == "12345"
    assert pd.isna(quotes["quote_index"].iloc[1]) and quotes["low_confidence"].iloc[4]
    first, second = read_page(tmp_path / "out").tie("Belarus → Poland: 2 blame quotes")
    assert (first["sentence"], first["marked"]) == ("12345", "12345"), "the offsets do not fit: the quote alone"
    assert (second["sentence"], second["marked"]) == ("quote 3", "quote 3")


def test_confident_only_leaves_flagged_labels_out_of_ties_tie_quotes_and_charts(tmp_path):
    df = scored_rows()
    df["low_confidence"] = [False] * len(df)
    df.loc[(df["frame"] == "blame") & (df["speaker_actor"] == "Belarus"), "low_confidence"] = True  # quotes 0 and 3
    path = tmp_path / "scored.parquet"
    df.to_parquet(path)
    every = write_report(path, tmp_path / "every")
    confident = write_report(path, tmp_path / "confident", confident_only=True)

    ties = pd.read_csv(tmp_path / "confident" / "ties.csv")
    assert not ((ties.frame == "blame") & (ties.speaker_actor == "Belarus")).any()
    quotes = pd.read_csv(tmp_path / "confident" / "tie_quotes.csv")
    assert "quote 0" not in quotes.text.tolist() and "quote 3" not in quotes.text.tolist()
    assert len(quotes) == ties["quotes"].sum() == len(pd.read_csv(tmp_path / "every" / "tie_quotes.csv")) - 2
    assert pd.read_csv(tmp_path / "every" / "tie_quotes.csv")["low_confidence"].sum() == 2
    page = read_page(tmp_path / "confident")
    assert all(q["marked"] not in ("quote 0", "quote 3") for t in page.ties for q in page.tie("".join(page.ties[t]["words"])))
    assert "labels flagged low-confidence are left out" in (tmp_path / "confident" / "index.html").read_text("utf-8")
    for chart in ("blame_ties.png", "frame_shares.png"):  # drawn from the confident labels only
        assert (tmp_path / "every" / chart).read_bytes() != (tmp_path / "confident" / chart).read_bytes(), chart
    shares = pd.read_csv(tmp_path / "confident" / "frame_shares.csv").set_index("speaker_actor")
    assert shares.loc["Belarus", "(unlabelled)"] == pytest.approx(0.5)
    assert every["frames"] != confident["frames"]


# -- the command -------------------------------------------------------------------------------
def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="quoteframe")
    add_report_parser(parser.add_subparsers())
    return parser.parse_args(["report", *argv])


def test_the_report_command_writes_and_says_where(parquet, tmp_path, capsys):
    out = tmp_path / "new" / "folder"
    args = parse(str(parquet), "--out", str(out), "--top", "3")
    assert args.top == 3
    assert args.run(args) == 0
    err = capsys.readouterr().err
    assert str(out / "index.html") in err and "11 quotes" in err
    assert (out / "frame_shares.csv").is_file()


def test_the_report_command_needs_out_and_a_positive_top(parquet, capsys):
    with pytest.raises(SystemExit):
        parse(str(parquet))
    assert "--out" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parse(str(parquet), "--out", "x", "--top", "0")
    assert "at least 1" in capsys.readouterr().err


# -- bad input: one clear InputError -------------------------------------------------------------
def bad(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("make, expected", [
    (lambda p: p / "missing.parquet", "no such file or folder"),
    (lambda p: bad(p, "scored.csv", b"a,b\n1,2\n"), "expected .parquet, .jsonl or .jsonl.gz"),
    (lambda p: bad(p, "scored.parquet", b"this is not parquet"), "not a readable Parquet file"),
    (lambda p: bad(p, "scored.jsonl", b'{"frame": "blame", "speaker_actor": "EU"}\n{oops\n'), "scored.jsonl:2: malformed JSON"),
    (lambda p: bad(p, "scored.jsonl", b'[1, 2]\n'), "scored.jsonl:1: expected one scored quote"),
    (lambda p: bad(p, "scored.jsonl.gz", b"not gzip at all"), "cannot read the file"),
    (lambda p: bad(p, "scored.jsonl", b"\xff\xfe\x00bad"), "not UTF-8"),
    (lambda p: bad(p, "scored.jsonl", b""), "holds no quotes"),
    (lambda p: bad(p, "scored.jsonl", b'{"article_id": "a1", "text": "x", "speaker_actor": "EU"}\n'),
     "no 'frame' column"),
    (lambda p: (p / "empty").mkdir() or p / "empty", "the folder holds no .parquet"),
], ids=["missing", "csv", "corrupt-parquet", "bad-json-line", "not-an-object", "bad-gzip", "not-utf8",
        "empty-jsonl", "no-frame-column", "empty-folder"])
def test_bad_input_is_one_clear_input_error(tmp_path, make, expected):
    path = make(tmp_path)
    with pytest.raises(InputError) as caught:
        write_report(path, tmp_path / "out")
    message = str(caught.value)
    assert expected in message and str(path) in message
    assert "\n" not in message


def test_a_parquet_table_without_actor_column_names_what_it_found(tmp_path):
    path = tmp_path / "articles.parquet"
    pd.DataFrame({"id": ["a1"], "text": ["Some article."]}).to_parquet(path)
    with pytest.raises(InputError, match=r"no 'frame' or 'speaker_actor' column \(columns found: id, text\)"):
        write_report(path, tmp_path / "out")


def test_an_empty_parquet_table_is_an_input_error(tmp_path):
    path = tmp_path / "scored.parquet"
    scored_rows().iloc[:0].to_parquet(path)
    with pytest.raises(InputError, match="holds no quotes"):
        write_report(path, tmp_path / "out")


def test_unlabelled_quotes_ask_for_a_model(tmp_path):
    df = scored_rows()
    df["frame"] = None
    path = tmp_path / "scored.parquet"
    df.to_parquet(path)
    with pytest.raises(InputError, match="no frame labels"):
        write_report(path, tmp_path / "out")


def test_an_unknown_frame_lists_the_frames_found(parquet, tmp_path):
    with pytest.raises(InputError, match="frame 'framing' is not in this archive; frames found: blame"):
        write_report(parquet, tmp_path / "out", frame="framing")


def test_out_must_be_a_folder(parquet, tmp_path):
    file = bad(tmp_path, "taken", b"x")
    with pytest.raises(InputError, match="not a folder"):
        write_report(parquet, file)


@pytest.mark.parametrize("module", [importlib.import_module(f"quoteframe.report.{m}") for m in
                                    ("read", "tables", "evidence", "charts", "page", "command")],
                         ids=lambda m: m.__name__)
def test_docstring_examples_hold(module):
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failures == 0 and tried > 0


def test_through_the_console_script_bad_input_is_one_line_and_exit_1(tmp_path, capsys, monkeypatch):
    from quoteframe import cli

    build = cli.build_parser

    def with_report() -> argparse.ArgumentParser:
        parser = build()
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        if "report" not in commands.choices:  # until cli.py wires it in
            add_report_parser(commands)
        return parser

    monkeypatch.setattr(cli, "build_parser", with_report)
    rc = cli.main(["report", str(tmp_path / "nothing.parquet"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert rc == 1 and "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("quoteframe: error:") and "no such file or folder" in lines[0]

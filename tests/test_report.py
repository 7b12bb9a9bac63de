"""`quoteframe report`: what a user finds in the report folder of a scored archive.

Small scored tables (the row schema of ``quoteframe.batch.rows``) are written
as Parquet and JSON Lines in tmp_path; the checks read the CSV files, the
PNGs and index.html as a user would.
"""
from __future__ import annotations

import argparse
import doctest
import gzip
import json
from pathlib import Path

import pandas as pd
import pytest

from quoteframe.batch import report
from quoteframe.batch.report import add_report_parser, write_report
from quoteframe.batch.rows import QUOTE_FIELDS
from quoteframe.errors import InputError

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
    """A scored table in the row schema: article id, metadata, then every quote field."""
    rows = []
    for i, (article, date, name, actor, frame, target) in enumerate(quotes):
        row = {"article_id": article, "source": "test", "title": f"Story {article}"}
        if with_date:
            row["date"] = date
        row.update({f: None for f in QUOTE_FIELDS})
        row.update(quote_index=i, text=f"quote {i}", start=0, end=7, kind="direct", cue="said",
                   speaker_name=name, speaker_actor=actor, frame=frame, frame_score=0.9,
                   frames=json.dumps({label: 0.1 for label in LABELS}), target=target,
                   stance="against" if target else None, tag="")
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
    assert "trends.png" not in (out / "index.html").read_text("utf-8")


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


def test_index_html_shows_charts_tables_and_ties_in_words(built):
    summary, out = built
    page = (out / "index.html").read_text("utf-8")
    for name in ("blame_ties.png", "frame_shares.png", "trends.png"):
        assert f'src="{name}"' in page
        assert (out / name).is_file()
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
    assert 'no &quot;blame&quot; frame' in page
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
    (lambda p: bad(p, "scored.jsonl", b'{"frame": "blame", "speaker_actor": "EU"}\n{oops\n'), "line 2: not valid JSON"),
    (lambda p: bad(p, "scored.jsonl", b'[1, 2]\n'), "line 1: expected a JSON object"),
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


def test_docstring_examples_hold():
    failures, _ = doctest.testmod(report, optionflags=doctest.ELLIPSIS)
    assert failures == 0


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

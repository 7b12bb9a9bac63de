"""Scored rows (``quoteframe.batch.rows``): each quote keeps the sentence it stands in.

The report shows that sentence as the evidence behind a tie, with the quote
highlighted where its offsets put it.
"""
from __future__ import annotations

import doctest

from quoteframe.batch import rows
from quoteframe.batch.rows import SNIPPET_CHARS, quote_rows, quote_sentence

ARTICLE = ("WARSAW, March 6 - The fence was closed again on Sunday. Polish Interior Minister Anna Nowak accused "
           "Belarus of pushing migrants towards the fence. \"These people are used as a weapon,\" Nowak said "
           "in Warsaw.\n\nA Belarusian spokesman said the accusations were lies. Talks are due on Monday.")


def test_every_row_holds_the_sentence_of_its_quote_and_the_offsets_point_into_it(analyzer):
    analysis = analyzer.analyze(ARTICLE, id="own-1")
    found = quote_rows(analysis, {"date": "2022-03-06"}, ARTICLE)
    assert len(found) == len(analysis.quotes) >= 3
    for row in found:
        at = row["start"] - row["sentence_start"]
        assert row["sentence"][at : at + len(row["text"])] == row["text"]
        assert ARTICLE[row["sentence_start"] :].startswith(row["sentence"])
    by_text = {row["text"]: row["sentence"] for row in found}
    assert by_text["These people are used as a weapon,"] == "\"These people are used as a weapon,\" Nowak said in Warsaw."
    assert by_text["the accusations were lies"] == "A Belarusian spokesman said the accusations were lies."


def test_rows_without_the_article_text_have_no_sentence(analyzer):
    analysis = analyzer.analyze(ARTICLE, id="own-1")
    assert {(r["sentence"], r["sentence_start"]) for r in quote_rows(analysis, {})} == {(None, None)}


def test_a_quote_over_two_sentences_keeps_both_and_the_neighbours_stay_out():
    text = "Talks failed. \"We waited. Nobody came,\" the envoy said. Rain fell."
    start = text.index("We waited")
    end = text.index(",\" the")
    assert quote_sentence(text, start, end) == ("\"We waited. Nobody came,\" the envoy said.", text.index("\"We"))


def test_a_paragraph_break_ends_the_sentence():
    text = "Headline without a stop\nThe minister said the border stays shut\nNext paragraph."
    start = text.index("the border")
    assert quote_sentence(text, start, text.index("\nNext")) == ("The minister said the border stays shut",
                                                                 text.index("The minister"))


def test_a_long_sentence_is_cut_at_a_space_either_side_of_the_quote():
    words = " ".join(f"word{i}" for i in range(200))
    text = f"{words} the minister said the border stays shut {words}."
    start = text.index("the border")
    end = start + len("the border stays shut")
    sentence, offset = quote_sentence(text, start, end)
    assert text[offset : offset + len(sentence)] == sentence
    assert start - offset <= SNIPPET_CHARS and len(sentence) - (end - offset) <= SNIPPET_CHARS
    assert sentence.startswith("word") and sentence.endswith(tuple("0123456789")), "whole words only"
    assert len(sentence) > 2 * SNIPPET_CHARS - 20, "as much context as the limit allows"


def test_an_article_column_named_sentence_keeps_its_value_under_another_name(analyzer):
    analysis = analyzer.analyze(ARTICLE, id="own-1")
    row = quote_rows(analysis, {"sentence": "metadata"}, ARTICLE)[0]
    assert row["article_sentence"] == "metadata" and row["sentence"] != "metadata"


def test_docstring_examples_hold():
    failures, tried = doctest.testmod(rows)
    assert failures == 0 and tried > 0

"""Analysts' labels (`marsad label`, config/labels.jsonl) and how `make model` trains on them.

On a real warehouse file: a label is written with the article's text and replaced by a later
one; seed articles, unknown ids and unknown topics are refused in one line. At training: labels
are real examples (weighted like real-dev `train`, recorded in the artifact's inputs), and a
label that is a seed article or carries a passage of an evaluation set is left out.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractors.article.extract import extract_article
from extractors.core.errors import ConfigError, UsageError
from extractors.core.records import RawPage
from extractors.tagging.labels import read_labels, topics_in_order, upsert_label
from extractors.tagging.tagger import load_tagger
from extractors.tagging.training import LABELS, Settings, analyst_examples, is_real, training_data
from flows.cli import app
from flows.commands import label_article, reextract_pages
from tests.test_commands import PAGE
from warehouse.db import open_warehouse
from warehouse.load import load_articles, load_raw_pages

ROOT = Path(__file__).resolve().parents[1]
URL = "https://news.example/tech/deepseek-nvidia"


def stored_article(config, settings) -> str:
    """One fetched page, extracted and tagged by the real reextract path; its article id."""
    page = RawPage(URL, URL, "feed_x", 200, "text/html; charset=utf-8", {}, PAGE.encode("utf-8"), datetime.now(UTC))
    with open_warehouse(settings.db_path) as con:
        load_raw_pages(con, [page])
    reextract_pages(config)
    with open_warehouse(settings.db_path, read_only=True) as con:
        (article_id,) = con.execute("select article_id from articles").fetchone()
    return str(article_id)


def test_a_label_is_written_then_replaced(config, settings):
    article_id = stored_article(config, settings)
    line = label_article(config, article_id, ["pricing", "market_impact"], "cost per model, and the share fall")
    assert line.startswith(f"labelled {article_id} as pricing, market_impact (the tagger says: ")
    assert "market_impact" in line.split("the tagger says: ")[1] and "1 analyst label(s)" in line
    path = settings.config_dir / "labels.jsonl"
    (row,) = read_labels(path)
    assert row["id"] == article_id and row["url"] == URL and row["topics"] == ["pricing", "market_impact"]
    assert "600 مليار دولار" in row["text"] and row["note"] == "cost per model, and the share fall"
    again = label_article(config, URL, [], "")  # by the URL the digest links to
    assert again.startswith(f"relabelled {article_id} as none of the four topics") and "1 analyst label(s)" in again
    assert [r["topics"] for r in read_labels(path)] == [[]]
    assert not list(settings.config_dir.glob(".labels*"))  # no temporary file left behind


def test_the_cli_refuses_seeds_unknown_ids_and_topics_in_one_line(config, settings, project_env):
    seed = extract_article("تراجعت أسهم إنفيديا بعد إعلان ديب سيك.", "seed://x.txt", "text/plain", source="seeds")
    with open_warehouse(settings.db_path) as con:
        (seed_id,) = load_articles(con, [seed], run_id="t", seen_at=datetime.now(UTC))
    runner = CliRunner()
    for args, says in ((["label", seed_id, "market_impact"], "is a seed article"),
                       (["label", "nope", "pricing"], "no article 'nope'"),
                       (["label", seed_id, "pricng"], "unknown topic 'pricng'"),
                       (["label", seed_id, "none", "pricing"], "`none` means no topic")):
        result = runner.invoke(app, args, env=project_env)
        assert result.exit_code == 2, (args, result.output)
        assert result.output.count("\n") == 1 and says in result.output, result.output
    assert not (settings.config_dir / "labels.jsonl").exists()


@pytest.mark.parametrize(("line", "says"), [
    ("{not json", "not JSON"),
    ('{"id": "a", "text": "t", "topics": ["pricng"]}', "unknown topic 'pricng'"),
    ('{"id": "a", "text": "t", "topics": ["pricing", "export_controls"]}', "contract order"),
    ('{"id": "a", "text": "", "topics": []}', "non-empty text"),
])
def test_a_broken_labels_file_names_its_line(tmp_path, line, says):
    path = tmp_path / "labels.jsonl"
    path.write_text('{"id": "ok", "text": "t", "topics": []}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"labels.jsonl:2: .*{says}"):
        read_labels(path)


def test_a_duplicate_id_is_refused_and_upsert_keeps_one_line_per_id(tmp_path):
    path = tmp_path / "labels.jsonl"
    upsert_label(path, {"id": "b", "text": "ب", "topics": ["pricing"]})
    rows, old = upsert_label(path, {"id": "a", "text": "أ", "topics": []})
    assert old is None and [r["id"] for r in rows] == ["a", "b"]  # sorted by id: reviewable diffs
    rows, old = upsert_label(path, {"id": "b", "text": "ب", "topics": ["privacy_bans"]})
    assert old is not None and old["topics"] == ["pricing"] and len(path.read_text(encoding="utf-8").splitlines()) == 2
    path.write_text(path.read_text(encoding="utf-8") * 2, encoding="utf-8")
    with pytest.raises(ConfigError, match="labelled twice"):
        read_labels(path)
    with pytest.raises(UsageError, match="unknown topic 'nope'"):
        topics_in_order(["pricing", "nope"])
    assert topics_in_order(["market_impact", "pricing", "pricing"]) == ["pricing", "market_impact"]


def test_an_unwritable_labels_folder_is_one_clear_error(tmp_path):
    blocker = tmp_path / "config"
    blocker.write_text("a file where the config folder should be", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot write the labels file .*labels.jsonl") as info:
        upsert_label(blocker / "sub" / "labels.jsonl", {"id": "a", "text": "t", "topics": []})
    assert "MARSAD_CONFIG" in info.value.one_line()


def test_training_takes_labels_as_real_examples_and_leaves_out_evaluation_passages(tmp_path):
    holdout = json.loads((ROOT / "tests/data/holdout_lead.jsonl").read_text(encoding="utf-8").splitlines()[0])
    path = tmp_path / "labels.jsonl"
    for row in (
        {"id": "real-1", "url": "https://news.example/a", "topics": ["pricing"],
         "text": "وقالت الشركة إن فاتورة استخدام النموذج للمؤسسات ستنخفض إلى النصف اعتباراً من الشهر المقبل."},
        {"id": "seed-1", "url": "seed://001.txt", "topics": ["market_impact"], "text": "نص من ملف بذرة."},
        {"id": "carries-holdout", "url": "https://news.example/b", "topics": ["export_controls"],
         "text": "مقدمة الخبر. " + holdout["text"] + " خاتمة الخبر."},
    ):
        upsert_label(path, row)
    rules = load_tagger(ROOT / "config", model=False)
    kept, skipped = analyst_examples(rules, path, Settings())
    assert [ex.id for ex in kept] == ["real-1"] and skipped == ["carries-holdout", "seed-1"]
    assert kept[0].source == LABELS and is_real(kept[0]) and kept[0].gold == {"pricing"}
    left_out: list[str] = []
    _, real, digests = training_data(rules, Settings(), ROOT, labels=path, left_out=left_out)
    assert real[-1].id == "real-1" and LABELS in digests
    assert left_out == ["carries-holdout", "seed-1"]  # what `make model` reports, found in the one pass
    _, _, without = training_data(rules, Settings(), ROOT, labels=tmp_path / "absent.jsonl")
    assert LABELS not in without  # no file: the shipped model's inputs are unchanged

"""The batch functions a worker runs, fed from the validated Config: the relevance gate per
batch with counts that add up, the tagger compiled once per process, the taxonomy check.

No Prefect and no cluster here (tests/test_distributed.py runs them on a real LocalCluster):
these pin what must hold whichever process runs a batch.
"""

from __future__ import annotations

import dataclasses
import pickle
from datetime import UTC, date, datetime

import pytest

from extractors.core.errors import MarsadError
from extractors.core.records import RawPage
from flows import batches, pipeline
from flows.config import ComputeSettings, load_config
from tests.test_relevance import OFF_EXTRACT, ON_TOPIC, UNFILTERED_OFF
from tests.webserver import article_html

HOSTS = 3


def pages() -> list[RawPage]:
    """On-topic pages no watchlist term names, an off-topic page, and an off-topic page of the
    ungated source `open`, on each of three hosts."""
    now = datetime.now(UTC)
    out = []
    for host in range(HOSTS):
        for source, (path, title, _, body) in [*(("news", s) for s in ON_TOPIC), ("news", OFF_EXTRACT),
                                               ("open", UNFILTERED_OFF)]:
            url = f"https://site{host}.example{path}"
            out.append(RawPage(url, url, source, 200, "text/html; charset=utf-8", {},
                               article_html(title, body).encode(), now))
    return out


@pytest.fixture()
def ctx(project_env, tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "news"\nkind = "rss"\nurl = "https://news.example/feed"\n\n'
                       '[[source]]\nname = "open"\nkind = "rss"\nurl = "https://open.example/feed"\n'
                       "watchlist_filter = false\n", encoding="utf-8")
    config = load_config(env={**project_env, "MARSAD_SOURCES": str(sources)}, offline=True)
    return pipeline.RunContext(config, date.today(), "batches", datetime.now(UTC), config.settings.db_path)


def with_batch_size(ctx: pipeline.RunContext, size: int) -> pipeline.RunContext:
    compute = ComputeSettings(workers=1, batch_size=size)
    return dataclasses.replace(ctx, config=dataclasses.replace(ctx.config, compute=compute))


def test_the_gate_per_batch_adds_up_to_the_gate_over_the_whole_run(ctx):
    every = pages()
    small = with_batch_size(ctx, 10)
    assert len(batches.page_batches(every, 10)) == HOSTS  # one batch per host: the gate runs three times
    batched = pipeline.extract_pages(small, every)
    whole = pipeline.extract_pages(with_batch_size(ctx, 5000), every)
    assert batched.counts == whole.counts and batched.skipped == whole.skipped
    assert [a.text for a in batched.articles] == [a.text for a in whole.articles]
    # per host: the four on-topic pages only the tagger finds relevant, the off-topic page
    # dropped, the ungated source's off-topic page kept
    assert batched.counts["kept_by_tagger"] == HOSTS * len(ON_TOPIC)
    assert batched.skipped["news"] == {"off_topic": HOSTS}
    assert batched.counts["web_articles"] == HOSTS * (len(ON_TOPIC) + 1)
    assert sum(a.source == "open" for a in batched.articles) == HOSTS


def test_a_worker_needs_nothing_but_its_pickled_options(ctx):
    """What a batch carries is enough (no config file is read on the worker), and pickled
    options give the same records as the run's own."""
    options = pipeline.batch_options(ctx)
    assert options.ungated == frozenset({"open"}) and options.languages == ("ar",)
    travelled = pickle.loads(pickle.dumps(options))
    batch = pages()[: len(ON_TOPIC) + 2]
    here, there = batches.extract_batch_of(options, batch), batches.extract_batch_of(travelled, batch)
    assert (here.counts, here.skipped, [a.text for a in here.articles]) == (
        there.counts, there.skipped, [a.text for a in there.articles])


def test_the_tagger_is_compiled_once_per_process_and_checked_against_the_run(ctx):
    tagging = ctx.config.tagging
    tagger = batches.tagger_of(tagging)
    copy = pickle.loads(pickle.dumps(tagging))  # what a worker receives with each batch
    assert batches.tagger_of(copy) is tagger   # … compiled on its first batch, then reused
    version = tagger.taxonomy_version
    rows = [("a1", "خفض أسعار واجهة البرمجة", ON_TOPIC[1][3])]
    [result] = batches.tag_batch_of(copy, version, rows)
    assert [t.topic for t in result.topics] == ["pricing"]
    with pytest.raises(MarsadError, match="the run tags with 000000000000"):
        batches.tag_batch_of(copy, "000000000000", rows)

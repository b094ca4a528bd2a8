"""Record which topics a taxonomy that never saw real-dev assigns to its `train` passages.

Usage:
    git show a734904:config/topics.toml > /tmp/before/topics.toml
    git show a734904:config/entities.toml > /tmp/before/entities.toml
    .venv/bin/python scripts/freeze_unseen_rules.py /tmp/before --commit a734904

Why: the topic model's thresholds are chosen by cross-validation on how much the model adds to
the rules. On real-dev `train` today's rules are tuned in-sample (round 5 revised them on those
very passages), so they miss almost nothing there and every threshold looks best at "add
nothing" — while on unseen text the rules miss about one relevant passage in eight. The rules
of the last taxonomy before anyone read real-dev (commit a734904) miss on `train` what rules
miss on new text (0.884 there, 0.870 on `test` when it was measured), so their tags stand in
for "the rules on text they were not tuned on" in the threshold objective
(extractors/tagging/training.py). Only ids and topic lists are written — no passage text —
and only for the `train` split: the `test` split is never read here.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from extractors.tagging.evaluate import load_jsonl
from extractors.tagging.tagger import load_tagger
from extractors.tagging.training import REAL_DEV, UNSEEN_RULES

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", type=Path, help="folder with the old topics.toml and entities.toml")
    parser.add_argument("--commit", required=True, help="the commit the old files come from (recorded)")
    args = parser.parse_args(argv)
    tagger = load_tagger(args.config, model=False)
    rows = sorted((r for r in load_jsonl((ROOT / REAL_DEV).resolve()) if r.get("split") == "train"),
                  key=lambda r: r["id"])
    tags = {r["id"]: [t.topic for t in tagger.tag(r["id"], r["text"]).topics] for r in rows}
    doc = {"_doc": "topics assigned to real-dev train passages by the rules of a taxonomy that never saw real-dev "
                   "(scripts/freeze_unseen_rules.py); used only to choose the topic model's thresholds",
           "commit": args.commit, "rules_version": tagger.rules_version, "split": "train", "tags": tags}
    out = ROOT / UNSEEN_RULES
    head = {k: v for k, v in doc.items() if k != "tags"}
    lines = [json.dumps(head, ensure_ascii=False, sort_keys=True)[:-1] + ', "tags": {']
    lines += [f"  {json.dumps(i)}: {json.dumps(t)}," for i, t in sorted(tags.items())]
    lines[-1] = lines[-1].rstrip(",")
    out.write_text("\n".join(lines) + "\n}}\n", encoding="utf-8")
    print(f"{len(tags)} train passages → {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Build config/topic_model.json.gz from the labelled files we ship (`make model`).

Usage:
    .venv/bin/python scripts/build_model.py [--config DIR] [--out FILE] [--check] [--other-news-weight W]

Cross-validates on the `train` split of ../shared/eval/real-dev.jsonl and the analysts' labels
in <config>/labels.jsonl (our own rounds in every training fold), prints rules / model / hybrid F1 per topic on the out-of-fold passages and the
thresholds chosen, fits on everything and writes the artifact (deterministic bytes: the same
inputs and toolchain give the same file, so `--check` can tell whether the shipped model is up to
date; a newer scikit-learn / numpy may move the last rounded digit of a few weights, which
`--check` accepts and reports).
The `test` split is never read (see extractors/tagging/training.py).
"""

from __future__ import annotations

import os

# The BLAS on one thread, whatever the caller's environment, and before numpy loads it: liblinear's
# sums go through the BLAS, whose last bits depend on how it was started (OPENBLAS_NUM_THREADS /
# OMP_NUM_THREADS = 1 or not). Round 12's model (7,400 examples) came out one rounded weight
# apart inside the test suite, where a Dask LocalCluster had set those variables to 1.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import time  # noqa: E402
from importlib.metadata import version  # noqa: E402
from pathlib import Path  # noqa: E402

from extractors.core.topics import TOPICS  # noqa: E402
from extractors.tagging.labels import LABELS_FILE  # noqa: E402
from extractors.tagging.model import MODEL_FILE, REBUILD_TOLERANCE, rebuild_differences  # noqa: E402
from extractors.tagging.tagger import load_tagger  # noqa: E402
from extractors.tagging.training import Settings, build  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=ROOT / "config")
    parser.add_argument("--out", type=Path, default=None, help=f"default: <config>/{MODEL_FILE}")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs from a rebuild (beyond the toolchain's rounding)")
    parser.add_argument("--other-news-weight", type=float, default=Settings().other_news_weight, metavar="W",
                        help="train on the news about other things (train half) at this weight as negatives "
                             "(default 1 since round 12; 0 = not at all; docs/TAGGING.md)")
    args = parser.parse_args(argv)
    out = args.out or args.config / MODEL_FILE
    t0 = time.perf_counter()
    rules = load_tagger(args.config, model=False)
    labels = args.config / LABELS_FILE
    model = build(rules, Settings(other_news_weight=args.other_news_weight), labels=labels)
    skipped = model.info["examples"].get("analyst_labels_left_out", [])
    if skipped:
        print(f"{labels}: left out of training (a seed article, or it carries an evaluation passage): {', '.join(skipped)}")
    data = model.to_bytes()
    info = model.info
    print(f"rules {rules.rules_version}; trained on {info['examples']} examples, {info['features']} features, "
          f"{len(data) / 1e6:.2f} MB, {time.perf_counter() - t0:.1f} s")
    cv = info["cv"]
    if cv:
        for part, label in (("real", f"{cv['passages']} real-dev train passages"),
                            ("own", f"{cv['own_passages']} passages of our own rounds")):
            print(f"\n{label}, 5-fold out-of-fold F1 (mean of {cv['repeats']} fold seeds):")
            print(f"{'':22}" + "".join(f"{t[:14]:>16}" for t in [*TOPICS, "micro"]))
            for name, figures in cv[part].items():
                print(f"{name:22}" + "".join(f"{figures[t]:16.3f}" for t in [*TOPICS, "micro"]))
        if "other_news" in cv:
            other = cv["other_news"]
            print(f"\n{other['paragraphs']} paragraphs of news about other things (train half), out of fold: "
                  "wrong tags per 1,000")
            for name in ("rules", "model", "hybrid"):
                print(f"{name:22}" + "".join(f"{other[name][t]:16.2f}" for t in [*TOPICS, "all"]))
        if cv.get("real_with_unseen_rules"):
            print(f"\n'unseen rules': the taxonomy before real-dev was read, on {cv['real_with_unseen_rules']} real "
                  "passages (tests/data/real_dev_unseen_rules.json); thresholds are chosen against them")
        print("thresholds: " + ", ".join(f"{t} {cv['thresholds'][t]:.2f}" for t in TOPICS))
        print("vetoes (a rule's tag dropped below): " + ", ".join(f"{t} {cv['vetoes'][t]:.2f}" for t in TOPICS))
    else:
        print("../shared/eval/real-dev.jsonl not found: built from our own sets only, thresholds 0.5")
    if args.check:
        return check(out, data)
    out.write_bytes(data)
    print(f"\nwrote {out}")
    return 0


def check(out: Path, data: bytes) -> int:
    """0 when the shipped file is this rebuild, to the last byte or within the numeric toolchain's
    rounding (a newer scikit-learn / numpy moves liblinear's last bits; the bytes then differ but
    the model is the one the labelled files make). 1, with the first differences, otherwise."""
    if not out.exists():
        print(f"\n{out}: missing (run make model)")
        return 1
    if out.read_bytes() == data:
        print(f"\n{out}: up to date (the same bytes)")
        return 0
    differences, within = rebuild_differences(out.read_bytes(), data)
    toolchain = ", ".join(f"{name} {version(name)}" for name in ("scikit-learn", "numpy", "scipy"))
    if not differences:
        print(f"\n{out}: up to date ({within} numbers differ within {REBUILD_TOLERANCE:g}: "
              f"rounding of this toolchain, {toolchain})")
        return 0
    print(f"\n{out}: DIFFERS from a rebuild (run make model); {toolchain}:")
    for line in differences:
        print(f"  {line}")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())

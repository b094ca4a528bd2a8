"""Rule classes found in the labelled batches, in sentences of our own: the rules alone (no
model) must tag each one as given. Each was tagged otherwise before its round, so each can fail
(docs/TAGGING.md, rounds 10-29). Split from tests/test_tagging_quality.py, which pins the
labelled sets' floors. Round 10's are below; rounds 11 onwards are data,
tests/data/rule_fixes.jsonl (`round`, `text`, the `topics` expected, `why`, and the `source`
batch), one line per sentence: a round adds lines, not code."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.tagging.evaluate import load_jsonl
from extractors.tagging.tagger import Tagger, load_tagger

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def rules() -> Tagger:
    """The shipped rules without the model, loaded once for the ~160 sentences."""
    return load_tagger(ROOT / "config", model=False)


@pytest.mark.parametrize(("text", "expected"), [
    ("أصدرت بكين توجيهات بأن تتخلى مراكز البيانات الحكومية عن المعالجات الأجنبية التي اشترتها.", ["export_controls"]),
    ("تخلت الشركة عن خطتها لبناء مصنع جديد للأسمدة.", []),
    ("تراجعت أسهم الشركة بنسبة 5.6% بعد أن أمرت الحكومة الوزارات بالتخلص التدريجي من كاميرات المراقبة صينية الصنع.",
     ["market_impact"]),
    ("تراجعت أسهم الشركة بنسبة 5.6% بعد إعلان نتائجها الفصلية.", []),
    # from the third batch: a formal notice with a period to comply is a regulator's order; event
    # fees are not the cost of AI; and two guards against its first draft, which vetoed a ban of
    # "recreational" apps over security and read "power using" as power use
    ("وجهت السلطة الوطنية لحماية المعطيات ذات الطابع الشخصي إعذاراً لمنصة تعليمية تعمل بالذكاء الاصطناعي، "
     "تطالبها بالتصريح بمعالجة بيانات التلاميذ في أجل ثمانية أيام.", ["privacy_bans"]),
    ("وتتراوح رسوم حضور القمة، التي يشارك فيها مسؤولون من «أوبن إيه آي»، بين 1,200 و4,500 ريال قطري.", []),
    ("وحظرت فرنسا استخدام تطبيقات التواصل الترفيهية مثل «تيك توك» على هواتف الموظفين الحكوميين لأسباب أمنية.",
     ["privacy_bans"]),
    ("DeepSeek said its V3 model was trained at a cost of under $6 million in computing power using Nvidia's H800 chips.",
     ["pricing"]),
    # from the fourth batch: customs codes are not AI tokens (a mask: no "price per token" here);
    # a block over sexual images is for another reason
    ("كشفت هيئه الجمارك الكورية الجنوبية عن شبكة قالت إنها صدّرت لوحات معالجة مزوّدة بذاكرة عالية النطاق (HBM) "
     "بقيمة 31 مليار وون إلى الصين عبر فيتنام، مستخدمة رموزاً جمركية تصفها بأنها \"قطع غيار حواسيب\".", ["export_controls"]),
    ("أعلنت الوزارة حجب الوصول مؤقتاً إلى روبوت الدردشة بعد انتشار صور مُعدّلة ذات طابع جنسي أُنتجت بواسطته.", []),
])
def test_round10_rule_fixes_from_the_train_half(rules: Tagger, text: str, expected: list[str]) -> None:
    """Classes from round 10's batches (the positives were missed by earlier rules): buyers told to
    give up foreign chips are China's purchase curbs; a share move after a government drops
    connected devices is tied to tech. Giving up a fertiliser plant, or a share move after results
    with no tech in the passage, stays untagged."""
    assert [t.topic for t in rules.tag("x", text).topics] == expected


FIXES = ROOT / "tests" / "data" / "rule_fixes.jsonl"
_FIXES = load_jsonl(FIXES)


def _ids(fixes: list[dict]) -> list[str]:
    """`r26-3`: the third sentence of round 26, so a failure names the round to read about."""
    seen: dict[int, int] = {}
    out = []
    for fix in fixes:
        seen[fix["round"]] = seen.get(fix["round"], 0) + 1
        out.append(f"r{fix['round']}-{seen[fix['round']]}")
    return out


def test_the_rule_fixes_file_is_well_formed() -> None:
    """Every line names its round (11 on), a sentence, the expected topics in contract order and
    why; a sentence is listed once."""
    from extractors.core.topics import TOPICS

    assert len(_FIXES) >= 153
    for fix in _FIXES:
        assert set(fix) == {"round", "text", "topics", "why", "source"}, fix
        assert fix["round"] >= 11 and fix["text"].strip() and fix["why"].strip(), fix
        assert fix["topics"] == [t for t in TOPICS if t in fix["topics"]], fix
    assert len({f["text"] for f in _FIXES}) == len(_FIXES)


@pytest.mark.parametrize("fix", _FIXES, ids=_ids(_FIXES))
def test_rule_fixes_of_rounds_11_to_34(rules: Tagger, fix: dict) -> None:
    """The rule classes of rounds 11-34 in sentences of our own (the rules alone, no model): each
    one was tagged otherwise before its round (docs/TAGGING.md, rounds 11-34)."""
    assert [t.topic for t in rules.tag("x", fix["text"]).topics] == fix["topics"], fix["why"]

"""Label fields: appeal type, category, urgency from the shipped classifiers; the unit (承办单位) from routing.

The unit combines three sources, strongest first: the operator naming where the ticket goes (工单会转交市一院),
the institution the caller talks about when it handles the category, and the directory's responsibilities
(食品安全 → the unit whose ``handles`` lists it). Top-3 alternatives come from the category's top 3.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.classify import persist
from assistant.classify.catalog import SHIPPED_LABEL_SETS, models_dir
from assistant.draft.cues import CUE_WEIGHT, category_cues, stated_appeal
from assistant.draft.linking import SERVICE_KINDS, Mention
from assistant.draft.model import FieldValue
from assistant.draft.text import Turn
from assistant.lexicon.units import Unit, UnitDirectory
from assistant.transcript.model import Speaker

# The operator saying where the ticket goes: a forwarding verb right before the unit, in a sentence about
# the ticket (工单 …). 去 is left out: 您去市一院急诊 is advice, not routing.
_ROUTE = re.compile(
    r"(转交|转给|转到|转办|转接|转|派给|派到|交给|交由|联系|协调|通知|反馈给|推送给)(?:到|给)?(?:市|区)?$"
)
_TICKET = re.compile(r"工单|转交|转办|转接|转给|派单|交由|联系|协调")
# … or 给 before the unit and the dispatch after it: 我给市医保局派个工单.
_DISPATCH_AFTER = re.compile(r"(?:派|转|发)(?:一?[个张各])?(?:工单|单)")
# Danger to life or safety *now*: a danger word and, in the same turn, a sign that it is happening now;
# a turn that says it is over (好多了, 没事了) does not count.
_DANGER = re.compile(
    r"喘不上气|喘不过气|呼吸困难|叫不醒|昏迷|不省人事|晕倒|大出血|出血|流血|血.{0,4}流|渗|吐血|抽搐|没有呼吸|"
    r"心脏骤停|不想活|活着.{0,4}(没意思|拖累)|自杀|轻生|跳楼|做傻事|同归于尽|拿着刀|我要是没了|中毒|吐|拉肚子|"
    r"上吐下泻|倒在地上|在地上躺着|发紫|发白|冰凉|憋紫|咬了|烧到|高烧|胎动|没动静|疼得|站在.{0,6}(楼顶|江边|河边|桥上)"
)
# The operator treating the call as urgent: a danger the caller's words lost to ASR is often still in the
# operator's (听着比较紧急, 按紧急工单处理, 请马上打120); not when it is advice for later (要是再抽, 请打120).
_OP_URGENT = re.compile(r"按紧急|比较紧急|情况紧急|很紧急|紧急处理|马上(?:打|去|通知|联系|派)|直接打(?:120|一百二十)"
                        r"|立即(?:去|打|派|送)|赶紧(?:去|打)")
HELP_WEIGHT = 0.5  # a caller in danger now asks for help (求助) unless they name another appeal
_IF = re.compile(r"要是|如果|万一|假如|一旦|再有|下次|哪天|或者")
_NOW = re.compile(r"现在|还在|正在|刚才|刚刚|马上|快不行|赶紧|快来|来不及")
_NEGATED = re.compile(r"没有|没|不")
_OVER = re.compile(r"好多了|没事了|已经好了|出院了|恢复得|缓过来")


@lru_cache(maxsize=4)
def load_classifiers(folder: str | None = None) -> dict[str, persist.LoadedModel]:
    root = Path(folder) if folder else models_dir()
    return {name: persist.load(root / name) for name in SHIPPED_LABEL_SETS}


def models_version(folder: str | None = None) -> str:
    """A short name for the classifiers in use (from their metadata), stored with each drafted ticket so the
    corrections kept for retraining say which models they correct."""
    root = Path(folder) if folder else models_dir()
    digests = []
    for name in SHIPPED_LABEL_SETS:
        try:
            digests.append(json.loads((root / name / persist.META_FILE).read_text(encoding="utf-8"))["model_sha256"])
        except (OSError, ValueError, KeyError):
            digests.append("?")
    return "models-" + hashlib.sha256("".join(digests).encode()).hexdigest()[:12]


def _top(model: persist.LoadedModel, text: str, k: int = 3) -> list[tuple[str, float]]:
    proba = model.pipeline.predict_proba([text])[0]
    order = np.argsort(proba)[::-1][:k]
    return [(str(model.pipeline.classes_[i]), float(proba[i])) for i in order]


def _appeal(turns: list[Turn], model: persist.LoadedModel, text: str) -> FieldValue:
    top = _top(model, text, k=len(model.labels))
    caller = [t for t in turns if t.speaker != Speaker.OPERATOR]
    stated = stated_appeal([t.text for t in caller])
    if stated is not None:
        label, said, start = stated
        turn = next(t for t in caller if t.text == said)
        rest = [(lab, p * 0.15) for lab, p in top if lab != label]
        alternatives = [(label, 0.85 + dict(top).get(label, 0) * 0.15)] + rest
        return FieldValue(label, alternatives[0][1], (turn.cite(start, start + 2),), tuple(alternatives[:3]))
    return FieldValue(top[0][0], top[0][1], (), tuple(top[:3]))


def _category(turns: list[Turn], model: persist.LoadedModel, text: str) -> FieldValue:
    proba = dict(_top(model, text, k=len(model.labels)))
    cues = category_cues("".join(t.text for t in turns if t.speaker != Speaker.OPERATOR or t.readback))
    mixed = {label: (1 - CUE_WEIGHT) * p + CUE_WEIGHT * cues.get(label, 0.0) for label, p in proba.items()}
    if not cues:
        mixed = proba
    top = sorted(mixed.items(), key=lambda kv: kv[1], reverse=True)[:3]
    return FieldValue(top[0][0], top[0][1], (), tuple(top))


def classify(turns: list[Turn], models: dict[str, persist.LoadedModel]) -> dict[str, FieldValue]:
    text = "".join(t.text for t in turns)
    out = {"appeal_type": _appeal(turns, models["appeal_type"], text),
           "category": _category(turns, models["category"], text)}
    top = _top(models["urgency"], text)
    danger = [(t, m) for t in turns
              if t.speaker != Speaker.OPERATOR and _NOW.search(t.text) and not _OVER.search(t.text)
              for m in t.finditer(_DANGER) if not _NEGATED.search(t.text[max(0, m.start() - 3) : m.start()])]
    danger += [(t, m) for t in turns if t.speaker == Speaker.OPERATOR for m in t.finditer(_OP_URGENT)
               if not _IF.search(re.split(r"[。？！]", t.text[: m.start()])[-1])]
    p_urgent = dict(top).get("紧急", 0.0)
    if danger and p_urgent < 0.5:
        p_urgent = max(p_urgent, 0.6)
    label = "紧急" if p_urgent >= 0.5 else "一般"
    evidence = tuple(t.cite(m.start(), m.end()) for t, m in danger[:3]) if label == "紧急" else ()
    out["urgency"] = FieldValue(label, p_urgent if label == "紧急" else 1 - p_urgent, evidence,
                                (("紧急", p_urgent), ("一般", 1 - p_urgent)))
    appeal = out["appeal_type"]
    if label == "紧急" and danger and not appeal.evidence:  # danger now, and the caller named no appeal
        mixed = {lab: (1 - HELP_WEIGHT) * p for lab, p in appeal.alternatives}
        mixed["求助"] = mixed.get("求助", 0.0) + HELP_WEIGHT
        top3 = tuple(sorted(mixed.items(), key=lambda kv: kv[1], reverse=True)[:3])
        out["appeal_type"] = FieldValue(top3[0][0], top3[0][1], evidence[:1], top3)
    return out


def _responsible(directory: UnitDirectory, category: str, institution: str | None,
                 district: str | None) -> Unit | None:
    handles = [u for u in directory.units if category in u.handles]
    if not handles:
        return None
    if institution:
        for u in handles:
            if u.name == institution:
                return u
    services = [u for u in handles if u.kind in SERVICE_KINDS]
    others = [u for u in handles if u.kind not in SERVICE_KINDS]
    pool = others or services
    if district:
        local = [u for u in pool if u.district == district]
        if local:
            return local[0]
    city = [u for u in pool if u.district in ("市直", "")]
    return (city or pool)[0]


def route(turns: list[Turn], mentions: list[tuple[Turn, Mention]], directory: UnitDirectory,
          category: FieldValue, institution: FieldValue) -> FieldValue:
    routed = None
    for turn, m in mentions:
        if turn.speaker != Speaker.OPERATOR:
            continue
        sentence_start = max(turn.text.rfind(p, 0, m.start) for p in "。！？") + 1
        sentence = turn.text[sentence_start : m.end + 20]
        before = turn.text[max(sentence_start, m.start - 4) : m.start]
        dispatched = before.endswith("给") and _DISPATCH_AFTER.match(turn.text, m.end)
        if (_ROUTE.search(before) or dispatched) and _TICKET.search(sentence):
            if routed is None or routed[0] is not turn:
                routed = (turn, m)  # the first unit named in the latest routing turn
    inst_unit = directory.by_name(institution.value) if institution.value else None
    district = inst_unit.district if inst_unit else None
    alternatives = []
    for label, p in category.alternatives or ((category.value, category.confidence),):
        unit = _responsible(directory, label, institution.value, district)
        if unit and unit.name not in [a for a, _ in alternatives]:
            alternatives.append((unit.name, p))
    if routed is not None:
        turn, m = routed
        name = m.unit.name
        alternatives = [(name, 0.9)] + [(a, p) for a, p in alternatives if a != name]
        return FieldValue(name, 0.9, (turn.cite(m.start, m.end),), tuple(alternatives[:3]))
    if not alternatives:
        return FieldValue.empty()
    name, p = alternatives[0]
    evidence = institution.evidence if name == institution.value else ()
    return FieldValue(name, p, evidence, tuple(alternatives[:3]))

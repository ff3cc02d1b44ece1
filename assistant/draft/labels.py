"""Label fields: appeal type, category, urgency from the centre's classifiers; the unit (承办单位) from routing.

The unit combines three sources, strongest first: the operator naming where the ticket goes (工单会转交市一院,
我们会移交市卫健委, 请江南区卫健局答复您), the institution the caller talks about when it handles the category or
its staff are praised, and the directory's responsibilities
(食品安全 → the unit whose ``handles`` lists it, else a unit of a kind the taxonomy says handles it). Top-3
alternatives come from the category's top 3.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.centre import Taxonomy
from assistant.classify import persist
from assistant.classify.catalog import META_FILE, SHIPPED_LABEL_SETS, label_difference
from assistant.classify.versions import active_folder
from assistant.draft.cues import CUE_WEIGHT, Cues
from assistant.draft.extract.places import regulator_named
from assistant.draft.linking import Mention, UnitLinker
from assistant.draft.model import FieldValue
from assistant.draft.text import Turn
from assistant.errors import AssistantError, ModelError
from assistant.lexicon.units import Unit
from assistant.transcript.model import Speaker

# The operator saying where the ticket goes: a forwarding verb right before the unit, in a sentence about
# the ticket (工单 …). 去 is left out: 您去市一院急诊 is advice, not routing.
_ROUTE = re.compile(
    r"(转交|转给|转到|转办|转接|转|派给|派到|交给|交由|联系|协调|通知|反馈给|推送给|移交|提交|转达|发给|请|由)"
    r"(?:到|给)?(?:市|区|是|事|时)?$"  # 市 as ASR may write it (转交是卫生健康委员会)
)
_TICKET = re.compile(r"工单|转交|转办|转接|转给|派单|交由|联系|协调")
# Other scripts say it without 工单: the centre as the subject (我们转江南区卫健局, 这条线索我们会移交市卫健委), or
# the unit asked to act (请市疾控答复您, 会由市中医院核实处理).
_WE = re.compile(r"我们|我这边|我这里|我会|我马上|我现在")
_ACTS = re.compile(
    r"(?:的工作人员)?(?:给您|尽快|负责|会|来)?(?:答复|回复|回电|联系您|处理|核实|核查|查处|调查|办理|跟进)"
)
# Praise goes to the unit whose staff are praised, whatever the category: it is theirs to pass on.
_PRAISE = "表扬"
# … or 给 before the unit and the dispatch after it: 我给市医保局派个工单.
_DISPATCH_AFTER = re.compile(r"(?:派|转|发)(?:一?[个张各])?(?:工单|单)")
# Danger to life or safety *now*: a danger word of the centre's taxonomy (the urgent label's cues) and, in the
# same turn, a sign that it is happening now; a turn that says it is over (好多了, 没事了) does not count.
# The operator treating the call as urgent: a danger the caller's words lost to ASR is often still in the
# operator's (听着比较紧急, 按紧急工单处理, 请马上打120); not when it is advice for later (要是再抽, 请打120).
_OP_URGENT = re.compile(r"按紧急|比较紧急|情况紧急|很紧急|紧急处理|马上(?:打|去|通知|联系|派)|直接打(?:120|一百二十)"
                        r"|立即(?:去|打|派|送)|赶紧(?:去|打)")
HELP_WEIGHT = 0.5  # a caller in danger now asks for help (求助) unless they name another appeal
_HELP = "求助"
_IF = re.compile(r"要是|如果|万一|假如|一旦|再有|下次|哪天|或者")
# 到现在 / 至今 measure how long something has lasted (出血到现在半个多月), not that it is happening this minute.
_NOW = re.compile(r"(?<!到)现在|还在|正在|刚才|刚刚|马上|快不行|赶紧|快来|来不及")
_NEGATED = re.compile(r"没有|没|不")
_OVER = re.compile(r"好多了|没事了|已经好了|出院了|恢复得|缓过来")


@lru_cache(maxsize=4)
def _load(folder: Path, stamp: float) -> persist.LoadedModel:
    return persist.load(folder)


def load_classifiers(root: Path, taxonomy: Taxonomy) -> dict[str, persist.LoadedModel]:
    """The models in use under the centre's models folder ``root``, one per label field, each checked against
    the centre's taxonomy: a model trained on other labels is refused, naming what differs."""
    models = {}
    for name in SHIPPED_LABEL_SETS:
        folder = active_folder(root, name)
        model = _load(folder, (folder / META_FILE).stat().st_mtime)
        check_labels(model.labels, taxonomy.labels(name), name, folder)
        models[name] = model
    return models


def check_labels(model_labels, taxonomy_labels, name: str, folder: Path) -> None:
    """A ModelError when a model's labels are not the taxonomy's ``name`` labels."""
    said = label_difference(model_labels, taxonomy_labels)
    if said:
        raise ModelError(f"模型 {folder} 的标签与本中心分类体系（taxonomy.toml 的 {name}）不符：{said}",
                         "用本中心的数据重新训练（hotline train），或用 hotline models use 换回相符的版本")


def models_version(root: Path) -> str:
    """A short name for the classifiers in use under ``root`` (from their metadata, without loading them),
    stored with each drafted ticket so the corrections kept for retraining say which models they correct."""
    digests = []
    for name in SHIPPED_LABEL_SETS:
        try:
            metadata = json.loads((active_folder(root, name) / META_FILE).read_text(encoding="utf-8"))
            digests.append(str(metadata["model_sha256"]))
        except (AssistantError, OSError, ValueError, KeyError):
            digests.append("?")
    return "models-" + hashlib.sha256("".join(digests).encode()).hexdigest()[:12]


def _top(model: persist.LoadedModel, text: str, k: int = 3) -> list[tuple[str, float]]:
    proba = model.pipeline.predict_proba([text])[0]
    order = np.argsort(proba)[::-1][:k]
    return [(str(model.pipeline.classes_[i]), float(proba[i])) for i in order]


def _appeal(turns: list[Turn], model: persist.LoadedModel, text: str, cues: Cues) -> FieldValue:
    top = _top(model, text, k=len(model.labels))
    caller = [t for t in turns if t.speaker != Speaker.OPERATOR]
    readbacks = [t for t in turns if t.readback]
    stated = cues.stated_appeal([t.text for t in caller])
    source = caller
    if stated is None:
        stated, source = cues.readback_appeal([t.text for t in readbacks]), readbacks
    if stated is not None:
        label, said, start = stated
        turn = next(t for t in source if t.text == said)
        rest = [(lab, p * 0.15) for lab, p in top if lab != label]
        alternatives = [(label, 0.85 + dict(top).get(label, 0) * 0.15)] + rest
        return FieldValue(label, alternatives[0][1], (turn.cite(start, start + 2),), tuple(alternatives[:3]))
    return FieldValue(top[0][0], top[0][1], (), tuple(top[:3]))


def _category(turns: list[Turn], model: persist.LoadedModel, text: str, cues: Cues) -> FieldValue:
    """The category of what the caller tells: the caller's words and the operator's read-back of them, not the
    operator's advice (请马上打120, 去医院急诊看看), which pulled urgent calls of any kind to 急救服务. With no
    read-back recognised (ASR garbled its cue, or the operator restated nothing) the operator's words are the only
    other account of the matter: the classifier's probabilities on the caller's words and on the whole call
    (``text``) are averaged."""
    told = "".join(t.text for t in turns if t.speaker != Speaker.OPERATOR or t.readback) or text
    texts = [told] if any(t.readback for t in turns) else [told, text]
    rows = model.pipeline.predict_proba(texts)  # one call for both: the features are computed in one pass
    proba = {str(label): float(p) for label, p in zip(model.pipeline.classes_, rows.mean(axis=0), strict=True)}
    hints = cues.category_cues(told)
    mixed = {label: (1 - CUE_WEIGHT) * p + CUE_WEIGHT * hints.get(label, 0.0) for label, p in proba.items()}
    if not hints:
        mixed = proba
    top = sorted(mixed.items(), key=lambda kv: kv[1], reverse=True)[:3]
    return FieldValue(top[0][0], top[0][1], (), tuple(top))


def classify(turns: list[Turn], models: dict[str, persist.LoadedModel], cues: Cues,
             taxonomy: Taxonomy) -> dict[str, FieldValue]:
    text = "".join(t.text for t in turns)
    out = {"appeal_type": _appeal(turns, models["appeal_type"], text, cues),
           "category": _category(turns, models["category"], text, cues)}
    top = _top(models["urgency"], text)
    danger = [(t, m) for t in turns
              if t.speaker != Speaker.OPERATOR and _NOW.search(t.text) and not _OVER.search(t.text)
              for m in (t.finditer(cues.danger) if cues.danger else ())
              if not _NEGATED.search(t.text[max(0, m.start() - 3) : m.start()])]
    danger += [(t, m) for t in turns if t.speaker == Speaker.OPERATOR for m in t.finditer(_OP_URGENT)
               if not _IF.search(re.split(r"[。？！]", t.text[: m.start()])[-1])]
    urgent = taxonomy.urgent
    usual = next(label for label in taxonomy.labels("urgency") if label != urgent)
    p_urgent = dict(top).get(urgent, 0.0)
    if danger and p_urgent < 0.5:
        p_urgent = max(p_urgent, 0.6)
    label = urgent if p_urgent >= 0.5 else usual
    evidence = tuple(t.cite(m.start(), m.end()) for t, m in danger[:3]) if label == urgent else ()
    out["urgency"] = FieldValue(label, p_urgent if label == urgent else 1 - p_urgent, evidence,
                                ((urgent, p_urgent), (usual, 1 - p_urgent)))
    appeal = out["appeal_type"]
    if (label == urgent and danger and not appeal.evidence  # danger now, and the caller named no appeal
            and _HELP in taxonomy.labels("appeal_type")):
        mixed = {lab: (1 - HELP_WEIGHT) * p for lab, p in appeal.alternatives}
        mixed[_HELP] = mixed.get(_HELP, 0.0) + HELP_WEIGHT
        top3 = tuple(sorted(mixed.items(), key=lambda kv: kv[1], reverse=True)[:3])
        out["appeal_type"] = FieldValue(top3[0][0], top3[0][1], evidence[:1], top3)
    return out


def _responsible(linker: UnitLinker, taxonomy: Taxonomy, category: str, institution: str | None,
                 district: str | None) -> Unit | None:
    """The unit that handles ``category``: one whose ``handles`` lists it, else one of a kind the taxonomy says
    handles it; the institution itself if it is one, else a regulator before a service, the institution's
    district before the city's."""
    units = linker.directory.units
    handles = [u for u in units if category in u.handles]
    label = taxonomy["category"].get(category)
    if not handles and label is not None:
        handles = [u for u in units if u.kind in label.kinds]
    if not handles:
        return None
    if institution:
        for u in handles:
            if u.name == institution:
                return u
    services = [u for u in handles if linker.serves(u)]
    others = [u for u in handles if not linker.serves(u)]
    pool = others or services
    if district:
        local = [u for u in pool if u.district == district]
        if local:
            return local[0]
    city = [u for u in pool if u.district in (linker.naming.city_level, "")]
    return (city or pool)[0]


def route(turns: list[Turn], mentions: list[tuple[Turn, Mention]], linker: UnitLinker, taxonomy: Taxonomy,
          category: FieldValue, institution: FieldValue, appeal: FieldValue | None = None) -> FieldValue:
    routed = None
    for turn, m in mentions:
        if turn.speaker != Speaker.OPERATOR:
            continue
        sentence_start = max(turn.text.rfind(p, 0, m.start) for p in "。！？") + 1
        sentence = turn.text[sentence_start : m.end + 20]
        before = turn.text[max(sentence_start, m.start - 4) : m.start]
        dispatched = before.endswith("给") and _DISPATCH_AFTER.match(turn.text, m.end)
        verb = _ROUTE.search(before)
        asked_to_act = verb is not None and verb.group(1) in ("请", "由")
        said_so = (_TICKET.search(sentence) or _WE.search(turn.text[sentence_start : m.start])
                   or _ACTS.match(turn.text, m.end))
        if asked_to_act and not _ACTS.match(turn.text, m.end):
            continue  # 请 / 由 before a unit route only when the unit is asked to act (请医院给您答复)
        if (verb or dispatched) and said_so:
            if routed is None or routed[0] is not turn:
                routed = (turn, m)  # the first unit named in the latest routing turn
    inst_unit = linker.directory.by_name(institution.value) if institution.value else None
    # A regulator the caller named is no institution of the call, but where it points still counts (the street
    # office of the caller's street handles the street's noise).
    named = institution.value or regulator_named(mentions, linker)
    named_unit = linker.directory.by_name(named) if named else None
    district = named_unit.district if named_unit else None
    alternatives = []
    for label, p in category.alternatives or ((category.value, category.confidence),):
        unit = _responsible(linker, taxonomy, label, named, district)
        if unit and unit.name not in [a for a, _ in alternatives]:
            alternatives.append((unit.name, p))
    if routed is not None:
        turn, m = routed
        name = m.unit.name
        alternatives = [(name, 0.9)] + [(a, p) for a, p in alternatives if a != name]
        return FieldValue(name, 0.9, (turn.cite(m.start, m.end),), tuple(alternatives[:3]))
    if (appeal is not None and appeal.value == _PRAISE and inst_unit is not None and linker.serves(inst_unit)
            and alternatives and alternatives[0][0] != inst_unit.name):
        p = appeal.confidence * institution.confidence
        alternatives = [(inst_unit.name, p)] + [(a, q) for a, q in alternatives if a != inst_unit.name]
    if not alternatives:
        return FieldValue.empty()
    name, p = alternatives[0]
    evidence = institution.evidence if name == institution.value else ()
    return FieldValue(name, p, evidence, tuple(alternatives[:3]))

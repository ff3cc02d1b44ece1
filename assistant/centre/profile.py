"""Reading a centre profile: ``centre.toml`` and ``taxonomy.toml`` into frozen values, with messages that name
the file, the line and the problem.

Only what the lower layers need is read here (the script, the vocabulary, the label sets, how unit names are
said); the unit directory, the deadline rules and the models are read by the layers that use them, from the
paths the profile gives.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from assistant.config import Settings, home_dir, read_toml, shown, warn_unknown
from assistant.errors import ConfigError

CENTRE_FILE = "centre.toml"
TAXONOMY_FILE = "taxonomy.toml"
UNITS_FILE = "units.csv"
DEADLINES_FILE = "deadlines.toml"
# The label fields a work order has, in the order taxonomy.toml gives them.
LABEL_SETS = ("appeal_type", "category", "urgency")

_CENTRE_KEYS = ("name", "city_level", "hotlines", "script", "vocabulary", "units")
_SCRIPT_KEYS = ("other_numbers", "staff_number_digits", "greeting", "receipt", "phrases")
_VOCABULARY_KEYS = ("terms", "departments", "not_departments", "words")
_UNITS_KEYS = ("service_kinds", "name_forms")
_SET_KEYS = ("title", "labels")
_LABEL_KEYS = ("name", "description", "cues", "kinds", "urgent")
_RECEIPT_PLACES = ("number", "deadline", "hotline")


def shipped_centre_folder() -> Path:
    """The demo centre shipped with the program (a 12320 centre of the fictional city 临江市)."""
    return Path(__file__).resolve().parents[1] / "demo" / "centre"


def home_centre_folder() -> Path:
    """Where ``hotline centre init`` puts a centre's own profile by default."""
    return home_dir() / "centre"


def centre_folder(flag: str | Path | None = None) -> Path:
    """The profile in use: ``flag`` (``--centre``), ``HOTLINE_CENTRE``, config.toml's ``centre``, the product
    folder's own profile, or the shipped demo centre."""
    chosen = flag or os.environ.get("HOTLINE_CENTRE") or Settings.load().centre
    if chosen:
        return Path(chosen).expanduser()
    home = home_centre_folder()
    return home if (home / CENTRE_FILE).is_file() else shipped_centre_folder()


@dataclass(frozen=True)
class Hotline:
    number: str
    names: tuple[str, ...]  # what is said after the number, longest first (卫生健康热线, 健康热线)


@dataclass(frozen=True)
class Script:
    """The operator's script, as far as the program reads it back from the audio or writes it for them."""

    hotlines: tuple[Hotline, ...]
    other_numbers: tuple[str, ...] = ()
    staff_number_digits: int = 4
    greeting: str = ""
    receipt: str = ""
    phrases: tuple[str, ...] = ()

    @property
    def numbers(self) -> tuple[str, ...]:
        """Every public hotline number an operator may say: the centre's own first."""
        return tuple(h.number for h in self.hotlines) + tuple(
            n for n in self.other_numbers if n not in {h.number for h in self.hotlines})

    def names_of(self, number: str) -> tuple[str, ...]:
        return next((h.names for h in self.hotlines if h.number == number), ())


@dataclass(frozen=True)
class Vocabulary:
    terms: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    not_departments: frozenset[str] = frozenset()
    words: tuple[str, ...] = ()

    @property
    def ticket_departments(self) -> tuple[str, ...]:
        """Departments a ticket can be about (the 科室 field): not the cashier's desk or the pharmacy."""
        return tuple(d for d in self.departments if d not in self.not_departments)


@dataclass(frozen=True)
class Units:
    """How this centre's unit directory is read: which kinds serve callers, how callers say kinds of names."""

    city_level: str = ""
    service_kinds: tuple[str, ...] = ()
    name_forms: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Label:
    name: str
    description: str = ""
    cues: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    urgent: bool = False
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class LabelSet:
    field: str
    title: str
    labels: tuple[Label, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(label.name for label in self.labels)

    def get(self, name: str) -> Label | None:
        return next((label for label in self.labels if label.name == name), None)


@dataclass(frozen=True)
class Taxonomy:
    sets: dict[str, LabelSet]

    def __getitem__(self, name: str) -> LabelSet:
        return self.sets[name]

    def labels(self, name: str) -> tuple[str, ...]:
        return self.sets[name].names if name in self.sets else ()

    @property
    def urgent(self) -> str | None:
        """The urgency label that means danger now (紧急)."""
        return next((label.name for label in self.sets["urgency"].labels if label.urgent), None)

    @property
    def dangers(self) -> tuple[str, ...]:
        """The urgent label's cue words: dangers that, happening now, make a call urgent."""
        return next((label.cues for label in self.sets["urgency"].labels if label.urgent), ())


@dataclass(frozen=True)
class Centre:
    folder: Path
    name: str
    script: Script
    vocabulary: Vocabulary
    units: Units
    taxonomy: Taxonomy

    @property
    def units_path(self) -> Path:
        return self.folder / UNITS_FILE

    @property
    def deadlines_path(self) -> Path:
        return self.folder / DEADLINES_FILE

    @property
    def models_dir(self) -> Path:
        return self.folder / "models"

    @property
    def training_dir(self) -> Path:
        return self.folder / "training"

    @property
    def shipped(self) -> bool:
        """The demo centre that comes with the program: read, never written by a centre's commands."""
        return self.folder.resolve() == shipped_centre_folder()


@lru_cache(maxsize=8)
def _load(folder: Path, stamp: tuple) -> Centre:
    centre_path, taxonomy_path = folder / CENTRE_FILE, folder / TAXONOMY_FILE
    data = _read(centre_path, "中心配置")
    warn_unknown(centre_path, "中心配置", data.keys(), _CENTRE_KEYS, "设置项")
    script = data.get("script", {})
    vocabulary = data.get("vocabulary", {})
    units = data.get("units", {})
    for key, table, known in (("script", script, _SCRIPT_KEYS), ("vocabulary", vocabulary, _VOCABULARY_KEYS),
                              ("units", units, _UNITS_KEYS)):
        _expect(centre_path, key, table, dict, f"[{key}] 表")
        warn_unknown(centre_path, "中心配置", table.keys(), known, "设置项", f"{key}.")
    forms = units.get("name_forms", {})
    _expect(centre_path, "units.name_forms", forms, dict, "表：名称结尾 = [说法, …]")
    return Centre(
        folder=folder,
        name=_text(centre_path, data, "name", folder.name),
        script=Script(
            hotlines=_hotlines(centre_path, data.get("hotlines", [])),
            other_numbers=_texts(centre_path, script, "other_numbers", "script."),
            staff_number_digits=_digits(centre_path, script.get("staff_number_digits", 4)),
            greeting=_text(centre_path, script, "greeting", "", "script."),
            receipt=_receipt(centre_path, _text(centre_path, script, "receipt", "", "script.")),
            phrases=_texts(centre_path, script, "phrases", "script."),
        ),
        vocabulary=Vocabulary(
            terms=_texts(centre_path, vocabulary, "terms", "vocabulary."),
            departments=_texts(centre_path, vocabulary, "departments", "vocabulary."),
            not_departments=frozenset(_texts(centre_path, vocabulary, "not_departments", "vocabulary.")),
            words=_texts(centre_path, vocabulary, "words", "vocabulary."),
        ),
        units=Units(
            city_level=_text(centre_path, data, "city_level", ""),
            service_kinds=_texts(centre_path, units, "service_kinds", "units."),
            name_forms={end: _texts(centre_path, forms, end, "units.name_forms.") or (end,) for end in forms},
        ),
        taxonomy=_taxonomy(taxonomy_path),
    )


def load_centre(folder: str | Path | None = None) -> Centre:
    """The profile in ``folder`` (default: the one in use, see ``centre_folder``); read again when its files
    change."""
    folder = Path(folder).expanduser() if folder else centre_folder()
    if not folder.is_dir():
        raise ConfigError(f"中心配置目录 {folder} 不存在",
                          "用 hotline centre init 目录 新建一个，或检查 --centre 的路径")
    if not (folder / CENTRE_FILE).is_file():
        raise ConfigError(f"{folder} 不是中心配置目录：缺少 {CENTRE_FILE}", "用 hotline centre init 目录 新建一个")
    stamp = tuple(_mtime(folder / name) for name in (CENTRE_FILE, TAXONOMY_FILE))
    return _load(folder.resolve(), stamp)


def active_centre() -> Centre:
    """The profile in use when no command-line flag names one."""
    return load_centre(centre_folder())


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _read(path: Path, what: str) -> dict:
    if not path.is_file():
        raise ConfigError(f"{what} {path} 不存在", "从 hotline centre init 生成的目录复制一份再修改")
    return read_toml(path, what, '每行写成 键 = 值，文字加引号，列表写成 ["甲", "乙"]')


def line_of(path: Path, *needles: str) -> int:
    """The first line of ``path`` that holds every one of ``needles`` (0 when none does): for messages about a
    value TOML has already parsed, which keeps no line numbers."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 0
    return next((i for i, line in enumerate(lines, 1) if all(n in line for n in needles)), 0)


def where(path: Path, *needles: str) -> str:
    line = line_of(path, *needles)
    return f"{path} 第 {line} 行" if line else str(path)


def _expect(path: Path, key: str, value, kind: type, what: str) -> None:
    if not isinstance(value, kind):
        raise ConfigError(f"{where(path, key.split('.')[-1])}：{key} 的值 {shown(value)} 无效，应为{what}")


def _text(path: Path, table: dict, key: str, default: str, prefix: str = "") -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise ConfigError(f"{where(path, key)}：{prefix}{key} 的值 {shown(value)} 无效，应为加引号的文字")
    return value.strip()


def _texts(path: Path, table: dict, key: str, prefix: str = "") -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where(path, key)}：{prefix}{key} 的值 {shown(value)} 无效，应为文字的列表",
                          '例如 ["甲", "乙"]，每项不能为空')
    return tuple(v.strip() for v in value)


def _digits(path: Path, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 8:
        raise ConfigError(f"{where(path, 'staff_number_digits')}：script.staff_number_digits 的值 {shown(value)} "
                          "无效，应为 1 到 8 的整数（工号的位数）")
    return value


_NUMBER = re.compile(r"\d{3,8}")


def _hotlines(path: Path, value) -> tuple[Hotline, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"{where(path, 'hotlines')}：至少要有一条 [[hotlines]]，写明 number 和 names",
                          '例如 [[hotlines]] 下写 number = "12345" 和 names = ["政务服务便民热线", "便民热线"]')
    out = []
    for entry in value:
        number = entry.get("number")
        if not isinstance(number, str) or not _NUMBER.fullmatch(number.strip()):
            raise ConfigError(f"{where(path, 'number', str(number))}：热线号码 {shown(number)} 无效",
                              '应为加引号的 3-8 位数字，例如 number = "12345"')
        warn_unknown(path, "中心配置", entry.keys(), ("number", "names"), "设置项", "hotlines.")
        names = _texts(path, entry, "names", "hotlines.")
        out.append(Hotline(number.strip(), tuple(sorted(names, key=len, reverse=True))))
    return tuple(out)


def _receipt(path: Path, template: str) -> str:
    for place in re.findall(r"\{([^{}]*)\}", template):
        if place not in _RECEIPT_PLACES:
            raise ConfigError(f"{where(path, 'receipt')}：回执模板中的 {{{place}}} 不认识",
                              "可用 {number}（工单编号）、{deadline}（办理时限）、{hotline}（热线号码）")
    return template


def _taxonomy(path: Path) -> Taxonomy:
    data = _read(path, "分类体系")
    warn_unknown(path, "分类体系", data.keys(), LABEL_SETS, "标签集")
    sets = {}
    for name in LABEL_SETS:
        table = data.get(name)
        if not isinstance(table, dict):
            raise ConfigError(f"分类体系 {path} 缺少 [{name}]", f"三个标签集都要有：{'、'.join(LABEL_SETS)}")
        warn_unknown(path, "分类体系", table.keys(), _SET_KEYS, "设置项", f"{name}.")
        entries = table.get("labels")
        if not isinstance(entries, list) or len(entries) < 2 or not all(isinstance(e, dict) for e in entries):
            raise ConfigError(f"{where(path, f'[{name}')}：{name} 至少要有两个标签（[[{name}.labels]]，各写 name）")
        labels, seen = [], set()
        for entry in entries:
            label = _label(path, name, entry)
            if label.name in seen:
                raise ConfigError(f"{where(path, 'name', label.name)}：{name} 的标签 {label.name} 重复")
            seen.add(label.name)
            labels.append(label)
        sets[name] = LabelSet(name, _text(path, table, "title", name, f"{name}."), tuple(labels))
    if sum(label.urgent for label in sets["urgency"].labels) != 1:
        raise ConfigError(f"{where(path, '[urgency')}：紧急程度中要有且只有一个标签写 urgent = true",
                          "它是当下危及生命或安全的那一档（如 紧急）")
    return Taxonomy(sets)


def _label(path: Path, set_name: str, entry: dict) -> Label:
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where(path, '[[' + set_name)}：{set_name} 的一个标签没有 name", '例如 name = "投诉"')
    warn_unknown(path, "分类体系", entry.keys(), _LABEL_KEYS, "设置项", f"{set_name}.labels.")
    cues = _texts(path, entry, "cues", f"{set_name}.{name}.")
    for cue in cues:
        try:
            re.compile(cue)
        except re.error as exc:
            raise ConfigError(f"{where(path, cue)}：{name} 的提示词 {shown(cue)} 不是有效的正则表达式（{exc}）",
                              "普通词语直接写；括号、问号等符号要成对、合法") from None
    urgent = entry.get("urgent", False)
    if not isinstance(urgent, bool):
        raise ConfigError(f"{where(path, 'urgent')}：urgent 的值 {shown(urgent)} 无效，应为 true 或 false")
    return Label(name=name.strip(), description=_text(path, entry, "description", ""), cues=cues,
                 kinds=_texts(path, entry, "kinds", f"{set_name}.{name}."), urgent=urgent,
                 line=line_of(path, "name", f'"{name.strip()}"'))

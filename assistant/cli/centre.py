"""``hotline centre init|show|check``: make a centre's own profile, see what it holds, and validate it."""

from __future__ import annotations

import csv
import json
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import AssistantError


def register(sub) -> None:
    p = sub.add_parser("centre", help="中心配置（单位目录、分类体系、话术、时限、模型）",
                       description="本中心的配置目录：单位目录、分类体系、接线话术、热线号码、时限规则和分类模型")
    csub = p.add_subparsers(dest="centre_command", required=True, metavar="操作")
    init = csub.add_parser("init", help="新建本中心的配置目录（复制一份再修改）",
                           description="复制一份中心配置（默认复制内置的演示中心）到新目录，供本中心修改和版本管理")
    init.add_argument("folder", nargs="?", help="新目录（默认为程序数据目录下的 centre，之后所有命令默认使用它）")
    init.add_argument("--from", dest="source", help="复制哪个中心配置目录（默认内置的演示中心）")
    init.set_defaults(run=run_init)
    show = csub.add_parser("show", help="查看当前使用的中心配置", description="列出中心配置的各项内容和正在使用的模型")
    show.set_defaults(run=run_show)
    check = csub.add_parser("check", help="检查中心配置的每个文件",
                            description="逐个检查中心配置的文件，指出文件、行号和问题；有错误时退出码为 2")
    check.set_defaults(run=run_check)


def run_init(args) -> int:
    from assistant.centre.profile import home_centre_folder
    from assistant.centre.setup import init_centre

    folder = init_centre(Path(args.folder) if args.folder else None, Path(args.source) if args.source else None)
    print(f"已新建中心配置：{folder}")
    if folder.resolve() == home_centre_folder().resolve():
        print("之后的命令默认使用它。")
    else:
        print(f"使用它：hotline --centre {folder} 命令 …，或设置环境变量 HOTLINE_CENTRE={folder}，"
              f"或在 config.toml 中写 centre = \"{folder}\"")
    print("下一步：修改 centre.toml（热线、话术）、taxonomy.toml（分类）、units.csv（承办单位）、"
          "deadlines.toml（时限），然后运行 hotline centre check")
    return 0


def run_show(args) -> int:
    from assistant.centre import load_centre
    from assistant.classify import versions
    from assistant.classify.catalog import SHIPPED_LABEL_SETS
    from assistant.lexicon.centre_lm import archive_lm
    from assistant.lexicon.units import load_units

    centre = load_centre()
    print(f"中心：{centre.name}{'（内置演示中心）' if centre.shipped else ''}")
    print(f"目录：{centre.folder}")
    script = centre.script
    print("热线：" + "；".join(f"{h.number} {'/'.join(h.names)}" for h in script.hotlines))
    print(f"工号位数：{script.staff_number_digits}")
    if script.greeting:
        print(f"开场白：{script.greeting}")
    if script.receipt:
        print(f"受理回执：{script.receipt}")
    vocabulary = centre.vocabulary
    print(f"常用话术：{len(script.phrases)} 条；词汇：{len(vocabulary.terms)} 个；"
          f"科室 {len(vocabulary.departments)} 个")
    for name in SHIPPED_LABEL_SETS:
        label_set = centre.taxonomy[name]
        print(f"{label_set.title}（{len(label_set.labels)}）：{'、'.join(label_set.names)}")
    if centre.units_path.exists():
        directory = load_units(centre.units_path)
        kinds: dict[str, int] = {}
        for unit in directory.units:
            kinds[unit.kind] = kinds.get(unit.kind, 0) + 1
        print(f"承办单位：{len(directory)} 个（{'、'.join(f'{k} {n}' for k, n in kinds.items())}）")
    else:
        print("承办单位：没有 units.csv")
    for name in SHIPPED_LABEL_SETS:
        try:
            folder = versions.active_folder(centre.models_dir, name)
            metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
            chosen = metadata.get("metrics", {}).get("chosen", {}).get("name", "")
            score = metadata.get("metrics", {}).get("cv", {}).get(chosen, {}).get("macro_f1")
            said = f"，交叉验证 macro-F1 {score:.4f}" if isinstance(score, float) else ""
            print(f"模型 {name}：{folder.name}（{metadata.get('n_rows', '?')} 条数据{said}）")
        except (AssistantError, OSError, ValueError):
            print(f"模型 {name}：没有")
    try:
        archive = archive_lm(centre)
    except AssistantError as exc:
        print(f"语言模型：{exc}")
    else:
        print("语言模型：中心配置和单位目录" + (f" + 历史工单 {archive.size} 字" if archive is not None else
                                            "（没有历史工单：可用 hotline train --archive 加入）"))
    return 0


@dataclass
class Findings:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def error(self, text: str) -> None:
        self.errors.append(text)

    def warn(self, text: str) -> None:
        self.warnings.append(text)


def run_check(args) -> int:
    from assistant.centre import centre_folder, load_centre

    folder = centre_folder()
    print(f"检查中心配置 {folder}")
    found = Findings()
    try:
        with _warnings_into(found):
            centre = load_centre(folder)
    except AssistantError as exc:
        found.error(str(exc))
        centre = None
    if centre is not None:
        directory = _check_units(centre, found)
        _check_taxonomy(centre, directory, found)
        _check_script(centre, found)
        _check_deadlines(centre, found)
        _check_workflow(centre, found)
        _check_models(centre, found)
        _check_training(centre, found)
    for line in found.errors:
        print(f"错误：{line}")
    for line in found.warnings:
        print(f"警告：{line}")
    if found.errors:
        print(f"{len(found.errors)} 个错误，{len(found.warnings)} 个警告", file=sys.stderr)
        return 2
    print(f"没有错误，{len(found.warnings)} 个警告")
    return 0


class _Collect(logging.Handler):
    def __init__(self, found: Findings):
        super().__init__(logging.WARNING)
        self.found = found

    def emit(self, record: logging.LogRecord) -> None:
        self.found.warn(record.getMessage())


class _warnings_into:
    """The product's own warnings while reading a file (unknown keys), collected as findings."""

    def __init__(self, found: Findings):
        self.handler = _Collect(found)
        self.logger = logging.getLogger("assistant")

    def __enter__(self):
        self.logger.addHandler(self.handler)
        self._propagate, self.logger.propagate = self.logger.propagate, False

    def __exit__(self, *exc):
        self.logger.removeHandler(self.handler)
        self.logger.propagate = self._propagate


def _check_units(centre, found: Findings):
    from assistant.lexicon.units import parse_units, read_unit_table

    path = centre.units_path
    if not path.exists():
        found.error(f"{path} 不存在：中心配置需要承办单位目录（units.csv）")
        return None
    try:
        directory = parse_units(read_unit_table(path))
    except AssistantError as exc:
        found.error(str(exc))
        return None
    categories = centre.taxonomy.labels("category")
    ruled = set(centre.units.service_kinds) | {k for label in centre.taxonomy["category"].labels for k in label.kinds}
    for unit in directory.units:
        for handled in unit.handles:
            if handled not in categories:
                found.error(f"{path} 第 {unit.line} 行 {unit.name}：handles 中的“{handled}”不是分类体系中的问题分类"
                            f"（taxonomy.toml 的 [category]：{'、'.join(categories)}）")
        if unit.kind not in ruled:
            found.error(f"{path} 第 {unit.line} 行 {unit.name}：单位类型“{unit.kind}”没有任何规则认识"
                        "（写进 taxonomy.toml 某个分类的 kinds，或 centre.toml 的 [units] service_kinds）")
    return directory


def _check_taxonomy(centre, directory, found: Findings) -> None:
    from assistant.centre.profile import TAXONOMY_FILE, where

    path = centre.folder / TAXONOMY_FILE
    if directory is None:
        return
    kinds = {unit.kind for unit in directory.units}
    for label in centre.taxonomy["category"].labels:
        for kind in label.kinds:
            if kind not in kinds:
                found.warn(f"{where(path, kind)}：分类 {label.name} 的 kinds 中的“{kind}”在单位目录中没有单位")
        handled = any(label.name in unit.handles or unit.kind in label.kinds for unit in directory.units)
        if not handled:
            found.warn(f"{where(path, 'name', label.name)}：分类 {label.name} 没有承办单位"
                       "（units.csv 的 handles 和本分类的 kinds 都没有），起草时不会给出承办单位")


def _check_script(centre, found: Findings) -> None:
    import re

    from assistant.centre.profile import CENTRE_FILE, where

    path = centre.folder / CENTRE_FILE
    for place in re.findall(r"\{([^{}]*)\}", centre.script.greeting):
        if place not in ("hotline", "name", "staff"):
            found.error(f"{where(path, 'greeting')}：开场白中的 {{{place}}} 不认识"
                        "（可用 {hotline}、{name}、{staff}）")
    numbers = [h.number for h in centre.script.hotlines]
    if len(set(numbers)) != len(numbers):
        found.error(f"{where(path, 'number')}：[[hotlines]] 中有重复的热线号码")


def _check_workflow(centre, found: Findings) -> None:
    """The centre's workflow rules (who may file 当场办结, how return visits reach callers); defaults without one."""
    from assistant.store.workflow import WORKFLOW_FILE, CaseRules

    try:
        with _warnings_into(found):
            CaseRules.load(centre.folder / WORKFLOW_FILE)
    except AssistantError as exc:
        found.error(str(exc))


def _check_deadlines(centre, found: Findings) -> None:
    from assistant.centre.profile import where
    from assistant.store.deadlines import DeadlineRules

    path = centre.deadlines_path
    if not path.exists():
        found.warn(f"{path} 不存在：使用默认时限")
        return
    try:
        with _warnings_into(found):
            DeadlineRules.load(path, centre)
    except AssistantError as exc:
        found.error(str(exc))
        return
    import tomllib

    days = tomllib.loads(path.read_text(encoding="utf-8")).get("days", {})
    for appeal in days:
        if appeal not in centre.taxonomy.labels("appeal_type"):
            found.error(f"{where(path, appeal)}：[days] 中的“{appeal}”不是分类体系中的诉求类型")


def _check_models(centre, found: Findings) -> None:
    from assistant.classify import versions
    from assistant.classify.catalog import META_FILE, SHIPPED_LABEL_SETS, label_difference
    from assistant.classify.persist import FORMAT
    from assistant.classify.training import SEED_FILE

    seeded = (centre.training_dir / SEED_FILE).is_file()
    for name in SHIPPED_LABEL_SETS:
        if seeded and not (centre.models_dir / name).is_dir():  # a new profile, not trained yet
            found.warn(f"模型 {name}：还没有训练；运行 hotline --centre {centre.folder} train，"
                       f"用 training/{SEED_FILE} 训练")
            continue
        try:
            folder = versions.active_folder(centre.models_dir, name)
            metadata = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        except (AssistantError, OSError, ValueError) as exc:
            found.error(f"模型 {name}：{exc}")
            continue
        said = label_difference([str(label) for label in metadata.get("labels", [])], centre.taxonomy.labels(name))
        if said:
            found.error(f"{folder / META_FILE}：模型是按另一套分类训练的（{said}）；"
                        "用本中心的数据重新训练，或用 hotline models use 换回相符的版本")
        if metadata.get("format") != FORMAT:
            found.error(f"{folder / META_FILE}：模型格式 {metadata.get('format')} 与本程序（{FORMAT}）不符，请重新训练")
    from assistant.lexicon.centre_lm import archive_lm

    try:
        archive_lm(centre)
    except AssistantError as exc:
        found.error(str(exc))


def _check_training(centre, found: Findings) -> None:
    from assistant.classify.catalog import SHIPPED_LABEL_SETS
    from assistant.classify.training import SEED_FILE

    path = centre.training_dir / SEED_FILE
    if not path.exists():
        found.warn(f"{path} 不存在：hotline train 不带 --data 时没有种子数据可用")
        return
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f, delimiter="\t")
            columns = reader.fieldnames or []
            missing = [c for c in ("text", *SHIPPED_LABEL_SETS) if c not in columns]
            if missing:
                found.error(f"{path}：缺少列 {'、'.join(missing)}"
                            f"（第一行应为 text 和 {'、'.join(SHIPPED_LABEL_SETS)}）")
                return
            for row in reader:
                for name in SHIPPED_LABEL_SETS:
                    if row[name] not in centre.taxonomy.labels(name):
                        found.error(f"{path} 第 {reader.line_num} 行：{name} 的标签“{row[name]}”不在分类体系中")
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        found.error(f"{path} 无法读取：{exc}")

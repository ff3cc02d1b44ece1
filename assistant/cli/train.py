"""``hotline train`` and ``hotline evaluate``."""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from pathlib import Path

from assistant.errors import AssistantError
from assistant.files import os_reason


def register(sub) -> None:
    p = sub.add_parser("train", help="训练分类模型和识别用的语言模型", description=(
        "不带参数：用中心配置的种子数据（training/seed.tsv）训练诉求类型、问题分类、紧急程度模型的新版本并启用。"
        "带 --data：用本中心的历史数据训练一个模型；再加 --install，装入当前中心配置并启用。"
        "带 --archive：用本中心的历史工单文本训练语音识别用的语言模型，存入中心配置的 models/lm/。"))
    p.add_argument("--data", help="训练数据：.csv、.xlsx 或 .jsonl")
    p.add_argument("--archive", help=(
        "历史工单文本：.csv、.xlsx 或 .jsonl（--text-col 指定文本列）；再次运行会在已有的语言模型上继续加入"))
    p.add_argument("--text-col", help="文本所在的列名")
    p.add_argument("--label-col", help="标签所在的列名")
    p.add_argument("--name", help="模型名称（默认为标签列名）")
    p.add_argument("--out", help="模型输出目录（默认为当前目录下的 models/<名称>）")
    p.add_argument("--install", action="store_true", help=(
        "作为新版本装入当前中心配置的 models/<名称>/ 并启用；名称须为 appeal_type、category 或 urgency，"
        "标签须与 taxonomy.toml 一致"))
    p.set_defaults(run=run_train)

    e = sub.add_parser("evaluate", help="评估分类模型", description=(
        "给出每个类别的精确率、召回率、F1、混淆矩阵和 macro-F1。不带 --data 时在训练数据上做交叉验证。"))
    e.add_argument("--model", required=True, help="模型目录")
    e.add_argument("--data", help="评估数据：.csv、.xlsx 或 .jsonl")
    e.add_argument("--text-col", help="文本所在的列名")
    e.add_argument("--label-col", help="标签所在的列名")
    e.set_defaults(run=run_evaluate)


def _progress(name: str, scores: dict) -> None:
    print(f"  候选 {name}：macro-F1 {scores['macro_f1']:.4f}", file=sys.stderr)


def _print_metrics(name: str, out: Path, metrics: dict) -> None:
    chosen = metrics["chosen"]["name"]
    best = metrics["cv"][chosen]["macro_f1"]
    base = metrics["baseline_cv"]["macro_f1"]
    print(f"{name}：选用 {chosen}，交叉验证 macro-F1 {best:.4f}（字符 TF-IDF + LinearSVC 基线 {base:.4f}）→ {out}")


def run_train(args) -> int:
    from assistant.classify.catalog import SHIPPED_LABEL_SETS, models_dir
    from assistant.classify.training import train_shipped, train_table

    if args.archive is not None:
        if args.data or args.label_col or args.install or args.out:
            raise AssistantError("--archive 只与 --text-col 一起使用", "分类模型和语言模型请分两次训练")
        return _archive(args)
    if args.data is None:
        if args.text_col or args.label_col or args.install:
            raise AssistantError("--text-col / --label-col / --install 需要与 --data 一起使用")
        if args.out:
            _writable_folder(Path(args.out))
        started = time.monotonic()
        results = train_shipped(Path(args.out) if args.out else None, progress=_progress)
        for name in SHIPPED_LABEL_SETS:
            _print_metrics(name, (Path(args.out) if args.out else models_dir()) / name, results[name])
        print(f"用时 {time.monotonic() - started:.0f} 秒", file=sys.stderr)
        return 0
    if not args.text_col or not args.label_col:
        raise AssistantError("使用 --data 时必须给出 --text-col 和 --label-col")
    if args.install:
        return _install(args)
    table = _table(args)
    name = args.name or args.label_col
    # not the centre's models/: a field's folder there holds versions, and --install is the way into it
    out = Path(args.out) if args.out else Path("models") / name
    _writable_folder(out.parent)
    if out.exists() and not out.is_dir():
        raise AssistantError(f"模型输出目录 {out} 是一个文件", "--out 请给出文件夹（模型目录）的路径")
    print(f"训练 {name}：{len(table.texts)} 条，{len(set(table.labels))} 个类别", file=sys.stderr)
    started = time.monotonic()
    metrics = train_table(table, out, name, progress=_progress)
    _print_metrics(name, out, metrics)
    print(f"用时 {time.monotonic() - started:.0f} 秒", file=sys.stderr)
    return 0


def _table(args):
    from assistant.classify.data import load_table

    table = load_table(args.data, args.text_col, args.label_col)
    for note in table.notes:
        print(f"注意：{note}", file=sys.stderr)
    if max(Counter(table.labels).values()) < 2:  # cross-validation needs some label twice
        raise AssistantError(f"{args.data}：“{args.label_col}”的每种标签都只有 1 条数据，无法训练和交叉验证",
                             "每种标签至少要有 2 条，最好 10 条以上")
    return table


def _install(args) -> int:
    """Train into the centre profile in use as a new version of one of its label fields, and use it."""
    from assistant.centre import active_centre
    from assistant.classify.catalog import SHIPPED_LABEL_SETS
    from assistant.classify.training import check_table_labels, install_table
    from assistant.classify.versions import refuse_shipped

    if args.out:
        raise AssistantError("--install 与 --out 不能同时使用",
                             "--install 装入中心配置的 models/ 目录，--out 另存到指定目录")
    name = args.name or args.label_col
    if name not in SHIPPED_LABEL_SETS:
        raise AssistantError(f"模型名称“{name}”不是起草用的标签字段，不能装入中心配置",
                             f"用 --name 指定 {'、'.join(SHIPPED_LABEL_SETS)} 之一")
    centre = active_centre()
    refuse_shipped(centre)  # said before the data is read
    table = _table(args)
    check_table_labels(table.labels, centre, name, str(args.data))
    _writable_folder(centre.models_dir / name)
    print(f"训练 {name}：{len(table.texts)} 条，{len(set(table.labels))} 个类别", file=sys.stderr)
    started = time.monotonic()
    installed = install_table(table, centre, name, made="data", progress=_progress)
    _print_metrics(name, installed.folder, installed.metrics)
    print(f"已装入中心配置 {centre.folder}：{name} 改用版本 {installed.version}", file=sys.stderr)
    print(f"用时 {time.monotonic() - started:.0f} 秒", file=sys.stderr)
    return 0


def _archive(args) -> int:
    """Train the centre's language model on its archive of ticket texts (grown, if it has one already)."""
    from assistant.centre import active_centre
    from assistant.classify.versions import refuse_shipped
    from assistant.lexicon.centre_lm import grow_archive_lm, lm_path
    from assistant.tables import read_rows

    if not args.text_col:
        raise AssistantError("使用 --archive 时必须给出 --text-col（工单文本所在的列名）")
    centre = active_centre()
    refuse_shipped(centre)
    path = Path(args.archive)
    rows = read_rows(path)
    columns = {str(k).strip().lstrip("\ufeff") for row in rows[:1] for k in row if k is not None}
    if args.text_col not in columns:
        raise AssistantError(f"{path}：没有列“{args.text_col}”", f"现有的列：{'、'.join(sorted(columns)) or '（无）'}")
    texts = [str(v).strip() for row in rows
             for k, v in row.items() if k is not None and str(k).strip().lstrip("\ufeff") == args.text_col
             and v is not None and str(v).strip()]
    if not texts:
        raise AssistantError(f"{path}：“{args.text_col}”列没有文本")
    _writable_folder(lm_path(centre).parent)
    started = time.monotonic()
    model = grow_archive_lm(centre, texts, {"archive": str(path.resolve())})
    print(f"语言模型：加入 {path} 的 {len(texts)} 条文本，共 {model.size} 字 → {lm_path(centre)}")
    print(f"用时 {time.monotonic() - started:.0f} 秒", file=sys.stderr)
    return 0


def _writable_folder(folder: Path) -> None:
    """``folder`` exists (created if need be) and can be written: said before training, not after it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AssistantError(f"无法创建模型输出目录 {folder}：{os_reason(exc)}",
                             "检查路径和写入权限，或换一个 --out 路径") from exc
    if not os.access(folder, os.W_OK):
        raise AssistantError(f"无法写入模型输出目录 {folder}：没有权限", "换一个 --out 路径")


def run_evaluate(args) -> int:
    from assistant.classify.training import evaluate

    if args.data and (not args.text_col or not args.label_col):
        raise AssistantError("使用 --data 时必须给出 --text-col 和 --label-col")
    print(evaluate(Path(args.model), Path(args.data) if args.data else None, args.text_col, args.label_col))
    return 0

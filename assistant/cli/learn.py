"""``hotline learn``: retrain the centre's classifiers on the corrections kept in the store, and grow its language
model by what operators wrote on the tickets since it last learned.

Prints, per field, the version in use and the candidate side by side on the newest corrections held out, and
says whether the candidate was put in use. A field with too few corrections is said and skipped.
"""

from __future__ import annotations

import sys

from assistant.cli.common import DB_HELP
from assistant.errors import AssistantError


def _share(text: str) -> float:
    import argparse

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是数字") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text} 不在 0 和 1 之间（不含两端），如 0.2 表示留出最新的 20%")
    return value


def register(sub) -> None:
    p = sub.add_parser("learn", help="用工单更正改进分类模型", description=(
        "用当前使用版本的训练数据加上数据库中该字段的全部更正重新训练；留出最新的一部分更正，"
        "在上面比较旧模型和新模型（准确率、macro-F1），新模型更好时才作为新版本启用"))
    p.add_argument("--field", help="只学习这一字段：appeal_type、category 或 urgency（默认三个都学）")
    p.add_argument("--holdout", type=_share, default=0.2, metavar="比例",
                   help="留出最新更正的比例，用于比较新旧模型（默认 0.2；至少留出 5 条）")
    p.add_argument("--force", action="store_true", help="新模型不比旧模型好时也启用")
    p.add_argument("--db", help=DB_HELP)
    p.set_defaults(run=run)


def run(args) -> int:
    from sqlalchemy.orm import Session

    from assistant.centre import active_centre
    from assistant.classify.catalog import SHIPPED_LABEL_SETS
    from assistant.classify.versions import refuse_shipped
    from assistant.store.db import make_engine, storage_errors
    from assistant.store.migrate import ensure_schema

    if args.field is not None and args.field not in SHIPPED_LABEL_SETS:
        raise AssistantError(f"没有标签字段“{args.field}”", f"--field 应为 {'、'.join(SHIPPED_LABEL_SETS)} 之一")
    fields = (args.field,) if args.field else SHIPPED_LABEL_SETS
    centre = active_centre()
    refuse_shipped(centre)  # said before the database is read or scikit-learn loaded
    engine = make_engine(args.db, must_exist=True)
    with storage_errors(engine.url):
        ensure_schema(engine)
        from assistant.lexicon.centre_lm import archive_lm
        from assistant.store.corrections import correction_examples, written_texts

        known = archive_lm(centre)
        with Session(engine) as session:
            found = {f: correction_examples(session, f, centre.taxonomy.labels(f)) for f in fields}
            written, newest = written_texts(session, (known.about if known else {}).get("tickets_through", 0))
    from assistant.classify.learning import MIN_CORRECTIONS, TooFewCorrections, learn

    for field in fields:
        examples, skipped = found[field]
        try:
            outcome = learn(centre, field, examples, holdout=args.holdout, force=args.force, skipped=skipped)
        except TooFewCorrections:
            if args.field:
                raise
            print(f"{_name(field)}：只有 {len(examples)} 条可用的更正，至少需要 {MIN_CORRECTIONS} 条，未学习",
                  file=sys.stderr)
            continue
        _report(outcome, skipped, args.force)
    _learn_language(centre, written, newest)
    return 0


def _learn_language(centre, texts: list[str], newest: int) -> None:
    """The centre's language model grown by what operators wrote on the tickets it has not read yet."""
    from assistant.lexicon.centre_lm import grow_archive_lm, lm_path

    if not texts:
        print("语言模型：没有新的工单文字", file=sys.stderr)
        return
    model = grow_archive_lm(centre, texts, {"tickets_through": newest})
    print(f"语言模型：加入 {len(texts)} 段工单文字（至工单 {newest}），共 {model.size} 字 → {lm_path(centre)}")


def _name(field: str) -> str:
    from assistant.draft.fields import label

    return f"{label(field)}（{field}）"


def _report(outcome, skipped: dict[str, int], force: bool) -> None:
    left = "；".join(f"{reason} {n} 条" for reason, n in skipped.items())
    print(f"{_name(outcome.field)}：更正 {outcome.corrections} 条（#{outcome.first_id}–#{outcome.last_id}），"
          f"留出最新 {outcome.held_out} 条比较" + (f"；未用：{left}" if left else ""))
    width = max(len(outcome.old_version), 10)
    print(f"  {'':<{width + 4}}  准确率   macro-F1   n")
    for name, scores in ((f"旧 {outcome.old_version}", outcome.old), ("新 候选模型", outcome.new)):
        print(f"  {name:<{width + 4}}  {scores.accuracy:.4f}   {scores.macro_f1:.4f}   {scores.n}")
    if outcome.installed and outcome.better:
        print(f"  新模型更好：已启用版本 {outcome.installed}")
    elif outcome.installed:
        print(f"  新模型没有更好，按 --force 仍已启用版本 {outcome.installed}")
    else:
        print("  新模型没有更好：仍用原版本（加 --force 可强制启用）")

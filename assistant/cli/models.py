"""``hotline models``: the versions of the centre's classifiers, and which one drafting uses.

Listing reads the versions' metadata only; switching checks the version's labels against the taxonomy first,
so a rollback can never leave drafting with a model it would refuse.
"""

from __future__ import annotations

from datetime import datetime

from assistant.errors import AssistantError

FIELD_HELP = "标签字段：appeal_type（诉求类型）、category（问题分类）、urgency（紧急程度）"


def register(sub) -> None:
    m = sub.add_parser("models", help="分类模型的版本",
                       description="查看当前中心配置中各分类模型的版本，切换使用的版本")
    msub = m.add_subparsers(dest="models_command", required=True, metavar="操作")
    ls = msub.add_parser("list", help="列出各版本", description=(
        "按字段列出每个版本：创建时间、训练条数、交叉验证 macro-F1、来源，并标出正在使用的版本"))
    ls.add_argument("--field", help=FIELD_HELP)
    ls.set_defaults(run=run_list)
    use = msub.add_parser("use", help="切换使用的版本（回退）", description=(
        "让起草改用某个版本。不带 --field 时，凡有该版本的字段都切换；标签与 taxonomy.toml 不符的版本不能使用"))
    use.add_argument("version", metavar="版本", help="版本名，见 hotline models list")
    use.add_argument("--field", help=FIELD_HELP)
    use.set_defaults(run=run_use)


def _fields(field: str | None) -> tuple[str, ...]:
    from assistant.classify.catalog import SHIPPED_LABEL_SETS

    if field is None:
        return SHIPPED_LABEL_SETS
    if field not in SHIPPED_LABEL_SETS:
        raise AssistantError(f"没有标签字段“{field}”", f"--field 应为 {'、'.join(SHIPPED_LABEL_SETS)} 之一")
    return (field,)


def _when(created: str) -> str:
    try:
        return datetime.fromisoformat(created).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return created or "?"


def run_list(args) -> int:
    from assistant.centre import active_centre
    from assistant.classify.catalog import label_difference
    from assistant.classify.versions import MADE, active_version, versions
    from assistant.draft.fields import label

    centre = active_centre()
    root = centre.models_dir
    print(f"中心配置：{centre.folder}")
    for field in _fields(args.field):
        found = versions(root, field)
        in_use = active_version(root, field)
        print(f"\n{label(field)}（{field}）")
        if not found:
            print("  （没有版本）")
            continue
        width = max(len(v.name) for v in found)
        print(f"  {'版本':<{width - 2}}  创建时间          条数  交叉验证macro-F1  来源")
        for v in found:
            f1 = f"{v.cv_macro_f1:.4f}" if v.cv_macro_f1 is not None else "   ?  "
            source = "，".join(part for part in (MADE.get(v.made, v.made), v.source) if part)
            mark = "  ← 使用中" if v.name == in_use else ""
            if label_difference(v.labels, centre.taxonomy.labels(field)):
                mark += "（标签与分类体系不符，不能使用）"
            print(f"  {v.name:<{width}}  {_when(v.created)}  {v.rows:>5}  {f1:>16}  {source}{mark}")
    return 0


def run_use(args) -> int:
    from assistant.centre import active_centre
    from assistant.classify.versions import activate, active_version, refuse_shipped, version, versions
    from assistant.draft.fields import label
    from assistant.draft.labels import check_labels

    centre = active_centre()
    root = centre.models_dir
    fields = _fields(args.field)
    if args.field is None:
        fields = tuple(f for f in fields if any(v.name == args.version for v in versions(root, f)))
        if not fields:
            raise AssistantError(f"没有哪个字段有版本 {args.version}", "用 hotline models list 查看已有版本")
    refuse_shipped(centre)
    chosen = [version(root, field, args.version) for field in fields]
    for v in chosen:  # every field checked before any is switched
        check_labels(v.labels, centre.taxonomy.labels(v.field), v.field, v.folder)
    for v in chosen:
        before = active_version(root, v.field)
        activate(root, v.field, v.name)
        print(f"{label(v.field)}（{v.field}）：改用 {v.name}（原为 {before or '无'}）")
    return 0

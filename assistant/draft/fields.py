"""The work order's fields and their Chinese labels: one table for the console, the CLI and exports.

The order is the order an operator fills the form in: the routing labels first, then who called, then what
happened. Record columns (number, status, deadlines) are the store's, labelled here too so that every screen
and file a person reads names a field the same way.
"""

from __future__ import annotations

# Fields the operator sees and confirms on the console form, in form order.
FORM_FIELDS: tuple[tuple[str, str], ...] = (
    ("appeal_type", "诉求类型"), ("category", "问题分类"), ("unit", "承办单位"), ("urgency", "紧急程度"),
    ("caller_name", "来电人"), ("phone", "联系电话"), ("institution", "涉及机构"), ("department", "科室"),
    ("incident_time", "事发时间"), ("location", "地点"), ("title", "工单标题"), ("demand", "诉求"),
    ("summary", "摘要"),
)
# Fields whose value is one of a set of labels, with a top-3 to step through (F2 on the console).
LABEL_FIELDS: tuple[str, ...] = ("appeal_type", "category", "unit", "urgency")
# A stored ticket as lists and exports show it: record columns, then the form's fields.
RECORD_FIELDS: tuple[tuple[str, str], ...] = (
    ("number", "工单编号"), ("status", "状态"), ("created_at", "创建时间"), ("deadline", "办理时限"),
    ("dispatch_deadline", "派单时限"), ("hotline", "热线"), ("operator_id", "工号"),
)
# A ticket in one line of a list (the console's ticket list, ``hotline tickets list``): the title last.
LIST_FIELDS: tuple[str, ...] = ("number", "status", "deadline", "appeal_type", "category", "unit", "caller_name",
                                "phone", "title")
LABELS: dict[str, str] = {**dict(RECORD_FIELDS), **dict(FORM_FIELDS), "amounts": "金额"}


def label(name: str) -> str:
    """The Chinese label of a field, or its name when it has none."""
    return LABELS.get(name, name)

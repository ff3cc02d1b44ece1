"""Masking of callers' personal data in lists and exports: 138****5678, 王**."""

from __future__ import annotations


def mask_phone(phone: str | None) -> str | None:
    """Keep the first three and last four digits: 13912345678 → 139****5678."""
    if not phone:
        return phone
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_name(name: str | None) -> str | None:
    """Keep the surname: 张晓梅 → 张**, 王先生 → 王**."""
    if not name:
        return name
    return name[0] + "*" * (len(name) - 1)

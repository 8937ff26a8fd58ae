"""Dictionaries (数据字典): types and their items. Items are deactivated, never deleted."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from danbao.system import errors
from danbao.system.models import DictItem, DictType
from danbao.system.selectors import dict_cache_clear
from danbao.system.services.common import changed, require, snapshot

PERMISSION = "system.dict.manage"
TYPE_FIELDS = ["code", "name", "description", "is_system"]
ITEM_FIELDS = ["code", "label", "sort_order", "is_active", "parent"]


def _invalidate(code: str) -> None:
    dict_cache_clear(code)
    transaction.on_commit(lambda: dict_cache_clear(code))


def dict_type_create(*, actor: Any, code: str, name: str, description: str = "", is_system: bool = False) -> DictType:
    """Add a dictionary."""
    require(actor, PERMISSION)
    with transaction.atomic():
        if DictType.objects.filter(code=code).exists():
            raise errors.DICT_CODE_EXISTS.error(key=code)
        dict_type = DictType(code=code, name=name.strip(), description=description.strip(), is_system=is_system)
        dict_type.full_clean()
        dict_type.save()
        changed("dict", actor=actor, obj=dict_type, action="create_type", before=None, after=snapshot(dict_type, TYPE_FIELDS))
    return dict_type


def dict_type_update(*, actor: Any, dict_type: DictType, name: str, description: str = "") -> DictType:
    """Rename or re-describe a dictionary (its code is fixed: programs refer to it)."""
    require(actor, PERMISSION)
    with transaction.atomic():
        dict_type = DictType.objects.select_for_update().get(pk=dict_type.pk)
        before = snapshot(dict_type, TYPE_FIELDS)
        dict_type.name = name.strip()
        dict_type.description = description.strip()
        dict_type.full_clean()
        dict_type.save()
        changed("dict", actor=actor, obj=dict_type, action="update_type", before=before, after=snapshot(dict_type, TYPE_FIELDS))
    return dict_type


def _check_parent(dict_type: DictType, parent: DictItem | None, item: DictItem | None = None) -> None:
    if parent is None:
        return
    if parent.dict_type_id != dict_type.pk or parent.parent_id is not None or (item is not None and parent.pk == item.pk):
        raise errors.DICT_PARENT_INVALID.error()
    if item is not None and item.children.exists():
        raise errors.DICT_PARENT_INVALID.error()


def dict_item_create(
    *, actor: Any, dict_type: DictType, code: str, label: str, sort_order: int | None = None, parent: DictItem | None = None
) -> DictItem:
    """Add an item at the end (or at `sort_order`)."""
    require(actor, PERMISSION)
    _check_parent(dict_type, parent)
    with transaction.atomic():
        DictType.objects.select_for_update().get(pk=dict_type.pk)  # serialise sort-order assignment
        if dict_type.items.filter(code=code).exists():
            raise errors.DICT_ITEM_CODE_EXISTS.error(key=code)
        if sort_order is None:
            last = dict_type.items.order_by("-sort_order").values_list("sort_order", flat=True).first()
            sort_order = (last or 0) + 10
        item = DictItem(dict_type=dict_type, code=code.strip(), label=label.strip(), sort_order=sort_order, parent=parent)
        item.full_clean()
        item.save()
        changed("dict", actor=actor, obj=item, action="create_item", before=None, after=snapshot(item, ITEM_FIELDS), dict=dict_type.code)
        _invalidate(dict_type.code)
    return item


def dict_item_update(*, actor: Any, item: DictItem, label: str, sort_order: int, parent: DictItem | None = None) -> DictItem:
    """Change an item's label, position or parent. The code is fixed: stored records refer to it."""
    require(actor, PERMISSION)
    _check_parent(item.dict_type, parent, item)
    with transaction.atomic():
        item = DictItem.objects.select_for_update().select_related("dict_type").get(pk=item.pk)
        before = snapshot(item, ITEM_FIELDS)
        item.label = label.strip()
        item.sort_order = sort_order
        item.parent = parent
        item.full_clean()
        item.save()
        changed(
            "dict", actor=actor, obj=item, action="update_item", before=before, after=snapshot(item, ITEM_FIELDS), dict=item.dict_type.code
        )
        _invalidate(item.dict_type.code)
    return item


def dict_item_set_active(*, actor: Any, item: DictItem, active: bool) -> DictItem:
    """Deactivate (hide from new choices, keep for stored records) or reactivate an item."""
    require(actor, PERMISSION)
    with transaction.atomic():
        item = DictItem.objects.select_for_update().select_related("dict_type").get(pk=item.pk)
        if item.is_active == active:
            return item
        before = snapshot(item, ITEM_FIELDS)
        item.is_active = active
        item.save()
        changed(
            "dict",
            actor=actor,
            obj=item,
            action="activate_item" if active else "deactivate_item",
            before=before,
            after=snapshot(item, ITEM_FIELDS),
            dict=item.dict_type.code,
        )
        _invalidate(item.dict_type.code)
    return item


def dict_item_move(*, actor: Any, item: DictItem, direction: str) -> DictItem:
    """Swap an item with its neighbour (same level) above ("up") or below ("down")."""
    require(actor, PERMISSION)
    with transaction.atomic():
        item = DictItem.objects.select_for_update().select_related("dict_type").get(pk=item.pk)
        siblings = list(
            DictItem.objects.select_for_update().filter(dict_type=item.dict_type, parent=item.parent_id).order_by("sort_order", "id")
        )
        index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
        other_index = index - 1 if direction == "up" else index + 1
        if other_index < 0 or other_index >= len(siblings):
            return item
        # Renumber the level in steps of 10 so equal sort orders cannot make a swap a no-op.
        siblings[index], siblings[other_index] = siblings[other_index], siblings[index]
        for position, sibling in enumerate(siblings, start=1):
            if sibling.sort_order != position * 10:
                sibling.sort_order = position * 10
                sibling.save(update_fields=["sort_order", "updated_at"])
        item.refresh_from_db()
        changed(
            "dict",
            actor=actor,
            obj=item,
            action=f"move_{direction}",
            before=None,
            after=snapshot(item, ITEM_FIELDS),
            dict=item.dict_type.code,
        )
        _invalidate(item.dict_type.code)
    return item

"""Owner registry: business apps declare which of their models carry documents, of which kinds, and
who may see or change them. Registered in the owning app's AppConfig.ready():

    register_owner(
        Customer,
        can_view=lambda user, c: customer_visible(user, c),
        can_change=lambda user, c: user.can("customers.customer.manage") and customer_visible(user, c),
        kinds=[AttachmentKind("business_licence", _("Business licence"), allowed=("pdf", "jpg", "png"), required=True), ...],
    )

Pages then show `{% include "core/attachments/panel.html" with owner=customer %}`; services call
`attachment_add(actor=..., owner=..., kind=..., upload=...)`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils.functional import Promise

from danbao.core.registry import Registry

DEFAULT_ALLOWED = ("pdf", "jpg", "png", "docx", "xlsx")
DEFAULT_MAX_SIZE_MB = 50

Check = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class AttachmentKind:
    """One document type of an owner (营业执照, 身份证复印件 …) with its own file rules."""

    code: str
    label: str | Promise
    allowed: Sequence[str] = DEFAULT_ALLOWED
    max_size_mb: int = DEFAULT_MAX_SIZE_MB
    versioned: bool = True
    required: bool = False


@dataclass(frozen=True)
class OwnerEntry:
    model: type[Model]
    can_view: Check
    can_change: Check
    kinds: dict[str, AttachmentKind] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


owners: Registry[OwnerEntry] = Registry("attachment owners")

# The global cap in MB, e.g. from a system parameter; a higher app installs the provider (the kernel
# cannot read system parameters itself). None or a failing provider means the built-in 50 MB.
_global_cap_provider: list[Callable[[], int | None]] = []


def register_owner(
    model: type[Model], *, can_view: Check, can_change: Check, kinds: Sequence[AttachmentKind], replace: bool = False
) -> OwnerEntry:
    """Declare `model` as an attachment owner with its kinds and its two access checks."""
    codes = [kind.code for kind in kinds]
    if len(set(codes)) != len(codes):
        raise ValueError(f"duplicate attachment kinds for {model._meta.label}: {codes}")
    entry = OwnerEntry(model, can_view, can_change, {kind.code: kind for kind in kinds})
    return owners.register(entry.label, entry, replace=replace)


def unregister_owner(model: type[Model]) -> None:
    """Tests only: forget a registration."""
    owners._entries.pop(model._meta.label_lower, None)


def owner_entry(model_or_obj: type[Model] | Model) -> OwnerEntry | None:
    label = model_or_obj._meta.label_lower
    return owners.get(label) if label in owners else None


# Optional malware scanner (e.g. ClamAV): called with the open upload, returns a signature name when
# infected, None when clean. Installed by whichever app wires the scanner; absent means no AV scan.
Scanner = Callable[[Any], str | None]
_scanner: list[Scanner] = []


def set_scanner(scanner: Scanner | None) -> None:
    """Install (or with None remove) the malware scanner every upload passes through."""
    _scanner[:] = [scanner] if scanner else []


def scan(stream: Any) -> str | None:
    for scanner in _scanner:
        stream.seek(0)
        found = scanner(stream)
        stream.seek(0)
        if found:
            return found
    return None


def set_global_cap_provider(provider: Callable[[], int | None]) -> None:
    """Install the function that answers the institution-wide upload cap in MB."""
    _global_cap_provider[:] = [provider]


def global_cap_mb() -> int:
    for provider in _global_cap_provider:
        try:
            value = provider()
        except Exception:  # noqa: BLE001 - a missing or broken parameter must not block uploads
            value = None
        if value:
            return int(value)
    return DEFAULT_MAX_SIZE_MB

"""Field encryption for secrets and C2 personal data (SECURITY.md "Decisions": AES-GCM with a key ring).

Keys come from the environment, never from the database or the repository:
    FIELD_ENCRYPTION_KEYS="k2:<base64 32 bytes>,k1:<base64 32 bytes>"   (the first key encrypts)
A ciphertext is "v1:<key id>:<base64(nonce | ciphertext | tag)>", so rows written under an older key
still decrypt after a new key is added; `reencrypt` moves them to the active key. Decrypting with a
missing or wrong key raises `DecryptionError` loudly — never returns garbage. `blind_index` gives a
keyed hash for exact-match search of encrypted values.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "v1"


class DecryptionError(Exception):
    """The value cannot be decrypted with the configured keys (wrong key, unknown key id, tampered)."""


@dataclass(frozen=True)
class KeyRing:
    active_id: str
    keys: dict[str, bytes]


def parse_keys(spec: str) -> KeyRing:
    keys: dict[str, bytes] = {}
    order: list[str] = []
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        key_id, _sep, encoded = item.partition(":")
        raw = base64.b64decode(encoded)
        if not key_id or len(raw) != 32:
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS: each entry is '<id>:<base64 of 32 bytes>'")
        keys[key_id] = raw
        order.append(key_id)
    if not order:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty")
    return KeyRing(order[0], keys)


@lru_cache(maxsize=4)
def _ring(spec: str) -> KeyRing:
    return parse_keys(spec)


def keyring() -> KeyRing:
    spec = getattr(settings, "FIELD_ENCRYPTION_KEYS", "")
    if not spec:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set (see README, configuration)")
    return _ring(spec)


def encrypt(plaintext: str) -> str:
    ring = keyring()
    nonce = os.urandom(12)
    sealed = AESGCM(ring.keys[ring.active_id]).encrypt(nonce, plaintext.encode(), ring.active_id.encode())
    return f"{PREFIX}:{ring.active_id}:{base64.b64encode(nonce + sealed).decode()}"


def is_encrypted(value: str) -> bool:
    return value.startswith(f"{PREFIX}:") and value.count(":") >= 2


def decrypt(token: str) -> str:
    try:
        prefix, key_id, payload = token.split(":", 2)
    except ValueError:
        raise DecryptionError("not an encrypted value") from None
    ring = keyring()
    if prefix != PREFIX or key_id not in ring.keys:
        raise DecryptionError(f"unknown key id {key_id!r}")
    blob = base64.b64decode(payload)
    try:
        return AESGCM(ring.keys[key_id]).decrypt(blob[:12], blob[12:], key_id.encode()).decode()
    except InvalidTag:
        raise DecryptionError(f"value does not decrypt with key {key_id!r}") from None


def reencrypt(token: str) -> str:
    """The same plaintext under the active key (key rotation)."""
    return encrypt(decrypt(token))


def blind_index(value: str) -> str:
    """Keyed SHA-256 of a normalised value, for exact search and uniqueness of encrypted columns.

    The index key is derived from the oldest key (the last one listed), so putting a new key first
    keeps every index valid. Remove the oldest key only after `manage.py reencrypt_fields`, then run
    it once more: it recomputes the blind indexes under the new oldest key."""
    ring = keyring()
    index_key = hashlib.sha256(b"danbao-blind-index" + ring.keys[list(ring.keys)[-1]]).digest()
    return hmac.new(index_key, value.strip().upper().encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column stored encrypted (AES-GCM); reads give the plaintext, raw SQL sees ciphertext."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return value if is_encrypted(value) else encrypt(value)

    def formfield(self, **kwargs: Any) -> Any:
        """A one-line input (these columns hold codes and numbers); `max_length` limits the form only."""
        from django import forms

        return super().formfield(**{"widget": forms.TextInput, **kwargs})


class BlindIndexField(models.CharField):
    """The keyed hash (`blind_index`) of another field on the same row, recomputed on every save,
    bulk_create included: exact search and uniqueness for an encrypted column without decrypting it.
    Empty source → empty index."""

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        self.source = source
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = getattr(model_instance, self.source) or ""
        digest = blind_index(value) if value else ""
        setattr(model_instance, self.attname, digest)
        return digest


def encrypted_fields(model: type[models.Model]) -> tuple[list[str], list[BlindIndexField]]:
    """A model's encrypted columns and blind-index columns (for key rotation)."""
    fields = model._meta.concrete_fields
    return [f.column for f in fields if isinstance(f, EncryptedTextField)], [f for f in fields if isinstance(f, BlindIndexField)]


def rewrite_columns(
    connection: Any, table: str, pk: str, columns: list[str], indexes: dict[str, str], *, plaintext_allowed: bool = False
) -> int:
    """Re-encrypt `columns` of every row of `table` under the active key and recompute its blind
    indexes ({index column: source column}), reading and writing raw values (no model instances).
    Used by key rotation (`reencrypt_fields`) and by migrations that start encrypting a column
    (`plaintext_allowed`: values not yet encrypted are taken as plaintext). Returns the rows written."""
    quote = connection.ops.quote_name
    written = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(pk)}, {', '.join(quote(c) for c in columns)} FROM {quote(table)}")  # noqa: S608
        for row in cursor.fetchall():
            plain = {}
            for column, value in zip(columns, row[1:], strict=True):
                plain[column] = decrypt(value) if value and (not plaintext_allowed or is_encrypted(value)) else value
            new = {column: encrypt(value) if value else value for column, value in plain.items()}
            for index, source in indexes.items():
                new[index] = blind_index(plain[source]) if plain[source] else ""
            assignments = ", ".join(f"{quote(c)} = %s" for c in new)
            cursor.execute(f"UPDATE {quote(table)} SET {assignments} WHERE {quote(pk)} = %s", [*new.values(), row[0]])  # noqa: S608
            written += 1
    return written

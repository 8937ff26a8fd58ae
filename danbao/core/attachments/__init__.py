"""Typed attachments for every business object: kinds per owner model, content-checked uploads,
SHA-256 integrity, versions, voiding (never deleting) and authorised downloads (SECURITY E.59, E.60)."""

"""Every uploaded file that a row names, wherever the file storage keeps it."""

import hashlib
from collections.abc import Iterator

from django.apps import apps
from django.db import models


def file_fields() -> Iterator[tuple[type[models.Model], str]]:
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                yield model, field.name


def stored_names() -> Iterator[str]:
    """The name of every file a row refers to, each once."""
    seen = set()
    for model, field in file_fields():
        names = model._default_manager.exclude(**{field: ""}).values_list(field, flat=True)
        for name in names.iterator():
            if name and name not in seen:
                seen.add(name)
                yield name


def sha256(storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()

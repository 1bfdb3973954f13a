"""Upload checks: the file type is decided by the file's content, not its name."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError

from .models import Evidence

_SIGNATURES = [
    (b"%PDF-", Evidence.FileType.PDF),
    (b"\xff\xd8\xff", Evidence.FileType.JPEG),
    (b"\x89PNG\r\n\x1a\n", Evidence.FileType.PNG),
]


def sniff_content_type(head: bytes) -> str | None:
    for magic, content_type in _SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def inspect_upload(upload) -> tuple[str, int, str]:
    """Return (content type, size, sha256) or raise a ValidationError on the `file` field."""
    size = upload.size
    limit = settings.EVIDENCE_MAX_BYTES
    if size == 0:
        raise ValidationError({"file": "文件为空，请重新选择。"})
    if size > limit:
        raise ValidationError({"file": f"文件大小为{size / 1048576:.1f}MB，超过{limit // 1048576}MB的上限。"})
    upload.seek(0)
    head = upload.read(16)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise ValidationError({"file": "只能上传PDF、JPEG或PNG文件（按文件内容识别，改扩展名无效）。"})
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, size, digest.hexdigest()

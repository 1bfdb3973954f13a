"""Upload checks: a file is accepted for what parsing it shows, never for its first bytes or its name.

A PDF must open as a valid PDF (pypdf, strict), within a page limit, unencrypted, and carry no
JavaScript, launch or embedded-file action; an image must decode completely (Pillow) and is stored
re-encoded, so that nothing but its pixels survives (trailing HTML, metadata, a polyglot's other half).
Any file that is also a zip archive is refused. The stored name is generated with the extension of the
established type; the uploader's name is kept only to display."""

from __future__ import annotations

import hashlib
import io
import re
import uuid
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from portal.validators import strip_control_characters

from .models import Evidence

_SIGNATURES = [
    (b"%PDF-", Evidence.FileType.PDF),
    (b"\xff\xd8\xff", Evidence.FileType.JPEG),
    (b"\x89PNG\r\n\x1a\n", Evidence.FileType.PNG),
]
EXTENSIONS = {Evidence.FileType.PDF: ".pdf", Evidence.FileType.JPEG: ".jpg", Evidence.FileType.PNG: ".png"}
PILLOW_FORMATS = {Evidence.FileType.JPEG: "JPEG", Evidence.FileType.PNG: "PNG"}

# Names that make a PDF act rather than show: scripts, launching programs, embedded or fetched files.
ACTIVE_PDF_NAMES = {
    "/JS",
    "/JavaScript",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/RichMedia",
    "/ImportData",
    "/SubmitForm",
    "/GoToE",
    "/XFA",
}
_RAW_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]+")
_STREAM_DATA = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
MAX_PDF_OBJECTS = 200_000

UNKNOWN_TYPE = "只能上传PDF、JPEG或PNG文件（按文件内容识别，改扩展名无效）。"
NOT_A_PDF = "文件不是有效的PDF，请重新导出或扫描后上传。"
ACTIVE_PDF = "PDF中含有脚本、启动程序或嵌入文件等动作，不能上传；请打印为PDF或扫描后重新上传。"
ENCRYPTED_PDF = "PDF设置了密码或加密，请去除后重新上传。"
ARCHIVE = "不能上传压缩文件或内嵌压缩包的文件。"
NOT_AN_IMAGE = "图片无法识别或已损坏，请重新拍摄或扫描后上传。"


@dataclass(frozen=True)
class CheckedUpload:
    """What inspect_upload established: the type, the bytes to store (an image re-encoded), their size
    and SHA-256, a generated storage name and the uploader's name for display."""

    content_type: str
    content: File
    size: int
    sha256: str
    name: str
    original_name: str


def sniff_content_type(head: bytes) -> str | None:
    for magic, content_type in _SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def display_name(name: str | None) -> str:
    """The uploader's file name, to show: no folders, no control characters."""
    return strip_control_characters(PurePath((name or "").replace("\\", "/")).name)[:200] or "文件"


def inspect_upload(upload) -> CheckedUpload:
    """Check an upload by parsing it; raise a ValidationError on the `file` field when it is refused."""
    size = upload.size
    limit = settings.EVIDENCE_MAX_BYTES
    if size == 0:
        raise _refuse("文件为空，请重新选择。")
    if size > limit:
        raise _refuse(f"文件大小为{size / 1048576:.1f}MB，超过{limit // 1048576}MB的上限。")
    upload.seek(0)
    content_type = sniff_content_type(upload.read(16))
    if content_type is None:
        raise _refuse(UNKNOWN_TYPE)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if zipfile.is_zipfile(io.BytesIO(data)):
        raise _refuse(ARCHIVE)
    if content_type == Evidence.FileType.PDF:
        _check_pdf(data)
    else:
        data = _reencode_image(data, content_type)
    return CheckedUpload(
        content_type=content_type,
        content=ContentFile(data),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        name=uuid.uuid4().hex + EXTENSIONS[content_type],
        original_name=display_name(upload.name),
    )


def _raw_names(data: bytes) -> set[str]:
    """Every name written in the file's plain text, with #xx escapes decoded (/J#61vaScript): also those
    of objects the cross-reference table leaves out, which a viewer repairing the file would still read."""
    names = set()
    # Stream data (compressed page content, image pixels) is skipped: random bytes there can spell a name.
    for match in _RAW_NAME.finditer(_STREAM_DATA.sub(b"stream endstream", data)):
        raw = _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group())
        names.add(raw.decode("latin-1"))
    return names


def _walk_names(reader: PdfReader) -> set[str]:
    """Every name (key or value) in every object the file lists, object streams included."""
    roots = [reader.trailer]
    for generation, numbers in reader.xref.items():
        roots.extend(IndirectObject(number, generation, reader) for number in numbers)
    roots.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    if len(roots) > MAX_PDF_OBJECTS:
        raise _refuse(NOT_A_PDF)
    names: set[str] = set()
    for root in roots:
        stack = [root.get_object() if isinstance(root, IndirectObject) else root]
        while stack:
            item = stack.pop()
            if isinstance(item, NameObject):
                names.add(str(item))
            elif isinstance(item, DictionaryObject):  # streams too: their dictionary
                for key, value in item.items():
                    names.add(str(key))
                    if not isinstance(value, IndirectObject):
                        stack.append(value)
            elif isinstance(item, ArrayObject):
                stack.extend(v for v in item if not isinstance(v, IndirectObject))
    return names


def _check_pdf(data: bytes) -> None:
    if ACTIVE_PDF_NAMES & _raw_names(data):
        raise _refuse(ACTIVE_PDF)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=True)
            if reader.is_encrypted:
                raise _refuse(ENCRYPTED_PDF)
            pages = len(reader.pages)
            names = _walk_names(reader)
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - a hostile file can make the parser raise anything
        raise _refuse(NOT_A_PDF) from exc
    if pages == 0:
        raise _refuse(NOT_A_PDF)
    if pages > settings.EVIDENCE_MAX_PDF_PAGES:
        raise _refuse(f"PDF共{pages}页，超过{settings.EVIDENCE_MAX_PDF_PAGES}页的上限，请拆分后上传。")
    if ACTIVE_PDF_NAMES & names:
        raise _refuse(ACTIVE_PDF)


def _reencode_image(data: bytes, content_type: str) -> bytes:
    fmt = PILLOW_FORMATS[content_type]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as image:
                width, height = image.size
                if width * height > settings.EVIDENCE_MAX_IMAGE_PIXELS:
                    raise _refuse(f"图片为{width}×{height}像素，超过上限，请缩小后上传。")
                image.load()
                # Turned upright by its EXIF orientation, which is not kept (nor any other metadata).
                upright = ImageOps.exif_transpose(image)
                if fmt == "JPEG" and upright.mode not in ("L", "RGB", "CMYK"):
                    upright = upright.convert("RGB")
                out = io.BytesIO()
                upright.save(out, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - a hostile file can make the decoder raise anything
        raise _refuse(NOT_AN_IMAGE) from exc
    return out.getvalue()

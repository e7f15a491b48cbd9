"""Uploaded images: validated by their content, re-encoded, stripped of EXIF and GPS.

Nothing is stored until an image has passed every check; the stored file is our own re-encoding
under a name we choose, so a polyglot (an image that is also HTML or a ZIP) loses its payload.
"""

import base64
import hashlib
import io
import logging
import uuid
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from samvad import confined
from samvad.platforms.x import text as xtext

logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 8192 * 8192  # X's largest image; anything bigger is refused, not resized
# An animation is decoded frame by frame, so its cost is the pixels of all its frames together.
MAX_FRAMES = 350  # X's limit for an animated GIF
MAX_TOTAL_PIXELS = MAX_PIXELS
IMAGE_MEMORY_MB = 1024  # an 8192 × 8192 RGBA frame is 256 MB
IMAGE_CPU_SECONDS = 20
# Pillow refuses images over twice this outright and warns above it; we turn the warning into an
# error too (below), so that a decompression bomb never reaches the decoder.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
}

NOT_AN_IMAGE = _("This file is not a JPEG, PNG, WebP or GIF image.")
TOO_BIG = _("The image is larger than 5 MB.")
TOO_MANY_PIXELS = _("The image has too many pixels (at most 8192 × 8192).")
TOO_MANY_FRAMES = _(
    "The animation has too many frames or pixels (at most 350 frames, 8192 × 8192 pixels in all)."
)
TOO_HARD = _("Reading this image took more memory or time than any photo needs; it was refused.")
MESSAGES = {
    "size": TOO_BIG,
    "pixels": TOO_MANY_PIXELS,
    "frames": TOO_MANY_FRAMES,
    "not_image": NOT_AN_IMAGE,
}


@dataclass
class CleanImage:
    content: ContentFile  # named by us
    sha256: str
    content_type: str
    kind: str
    width: int
    height: int


def _open(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            Image.open(io.BytesIO(data)).verify()  # structure and checksums
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ValidationError(TOO_MANY_PIXELS, code="pixels") from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise ValidationError(NOT_AN_IMAGE, code="not_image") from error
    if image.format not in FORMATS:
        raise ValidationError(NOT_AN_IMAGE, code="not_image")
    if image.width * image.height > MAX_PIXELS:
        raise ValidationError(TOO_MANY_PIXELS, code="pixels")
    frames = getattr(image, "n_frames", 1)  # counting GIF frames reads only their headers
    if frames > MAX_FRAMES or frames * image.width * image.height > MAX_TOTAL_PIXELS:
        raise ValidationError(TOO_MANY_FRAMES, code="frames")
    return image


def _reencode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    fmt = image.format
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            if fmt == "GIF":
                # Frames are copied without the source's comments and extensions.
                image.info = {k: v for k, v in image.info.items() if k in ("duration", "loop")}
                image.save(out, "GIF", save_all=True)
                return out.getvalue()
            # Turn the photo upright first: the orientation tag goes with the rest of EXIF.
            upright = ImageOps.exif_transpose(image)
            if fmt == "JPEG":
                upright = upright.convert("RGB")
            upright.info = {}  # no EXIF, GPS, XMP or comments are carried over
            options = {"JPEG": {"quality": 88, "optimize": True}, "WEBP": {"quality": 88}}
            upright.save(out, fmt, **options.get(fmt, {}))
        except (OSError, ValueError) as error:
            raise ValidationError(NOT_AN_IMAGE, code="not_image") from error
    return out.getvalue()


def reencode(data: bytes) -> dict:
    """The confined task (samvad/confined.py): the checked image re-encoded, or a refusal."""
    try:
        image = _open(data)
        encoded = _reencode(image)
    except ValidationError as error:
        raise confined.Refusal(error.code) from error
    if len(encoded) > MAX_BYTES:
        raise confined.Refusal("size")
    return {
        "content": base64.b64encode(encoded).decode("ascii"),
        "format": image.format,
        "width": image.width,
        "height": image.height,
    }


def clean_image(upload) -> CleanImage:
    """Validate an uploaded file and return its clean re-encoding; ValidationError otherwise.

    The image is decoded in a child process with hard limits on memory and time, so an image
    made to exhaust the decoder is refused and the server goes on."""
    if upload.size > MAX_BYTES:
        raise ValidationError(TOO_BIG, code="size")
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(TOO_BIG, code="size")
    try:
        result = confined.run(
            "image", data, memory_mb=IMAGE_MEMORY_MB, cpu_seconds=IMAGE_CPU_SECONDS, output_mb=16
        )
    except confined.Refusal as refusal:
        code = refusal.args[0]
        raise ValidationError(MESSAGES[code], code=code) from refusal
    except confined.Exceeded as exceeded:
        logger.warning("An image was stopped while being read: %s", exceeded)
        raise ValidationError(TOO_HARD, code="too_hard") from exceeded
    encoded = base64.b64decode(result["content"])
    extension, content_type = FORMATS[result["format"]]
    return CleanImage(
        content=ContentFile(encoded, name=f"{uuid.uuid4().hex}.{extension}"),
        sha256=hashlib.sha256(encoded).hexdigest(),
        content_type=content_type,
        kind=xtext.GIF if result["format"] == "GIF" else xtext.IMAGE,
        width=result["width"],
        height=result["height"],
    )

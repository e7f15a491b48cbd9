import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from samvad.content.models import Post, Submission
from samvad.org.models import OfficialAccount


def jpeg_bytes(size=(64, 48), exif=None) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 20)).save(out, "JPEG", **({"exif": exif} if exif else {}))
    return out.getvalue()


def upload(name="photo.jpg", data=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data if data is not None else jpeg_bytes(), content_type)


@pytest.fixture
def submission(world):
    return Submission.objects.create(
        department=world.water,
        created_by=world.officer_a,
        kind=Submission.Kind.SCHEME,
        title="हर घर जल",
        body="हर घर को नल से जल",
        details={"scheme_name": "हर घर जल"},
    )


@pytest.fixture
def dausa_account(world):
    return OfficialAccount.objects.get(handle="DmDausa")


@pytest.fixture
def make_thread(world, dausa_account):
    def make(*texts, submission=None, by=None):
        root = Post.create_thread(
            by=by or world.editor,
            district=world.dausa,
            texts=list(texts or ["एक पोस्ट"]),
            account=dausa_account,
            submission=submission,
        )
        return list(root.thread)

    return make


def approve_all(posts, by, at=None):
    for post in posts:
        post.submit(by=by)
        post.approve(by=by)
        if at is not None:
            post.schedule(at=at, by=by)
    return [Post.objects.get(pk=p.pk) for p in posts]

"""What a post carries (its photos with alt text) and every version of it that was saved."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvad.org.models import length_cap
from samvad.platforms.x import text as xtext

from .submission import Media


class PostMedia(models.Model):
    post = models.ForeignKey("content.Post", on_delete=models.CASCADE)
    media = models.ForeignKey(Media, on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(default=0)
    alt_text = models.CharField(_("alt text"), max_length=xtext.MAX_ALT_TEXT)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.alt_text[:50]


class PostVersion(models.Model):
    """Every saved version of a post's content, for the diff on the page and RTI requests."""

    post = models.ForeignKey("content.Post", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField(max_length=xtext.MAX_TEXT_LENGTH)
    media = models.JSONField(default=list)
    reply_to_id_at_version = models.BigIntegerField(null=True)
    content_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="post_version_unique"),
            length_cap("postversion", "text", xtext.MAX_TEXT_LENGTH),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} v{self.number}"

    @classmethod
    def record(cls, post, *, by) -> "PostVersion":
        last = post.versions.order_by("-number").first()
        return cls.objects.create(
            post=post,
            number=(last.number + 1) if last else 1,
            text=post.text,
            media=[
                {"media": pm.media_id, "sha256": pm.media.sha256, "alt_text": pm.alt_text}
                for pm in post.attachments()
            ],
            reply_to_id_at_version=post.reply_to_id,
            content_hash=post.content_hash,
            created_by=by,
        )

"""A changed password or a deactivated account ends every API token of its owner, however the
change was made (the password pages, a reset link, the admin, a command)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.dispatch import receiver

from samvad.api.models import ApiToken

WATCHED = {"password", "is_active"}


@receiver(pre_save, sender=get_user_model())
def revoke_tokens_on_password_change_or_deactivation(
    sender, instance, update_fields=None, raw=False, **kwargs
):
    if raw or instance.pk is None:
        return
    if update_fields is not None and not WATCHED & set(update_fields):
        return  # e.g. last_login on every login: no need to read the row
    before = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    # check_password() re-hashes a right password when Django's hasher settings change, and saves
    # only the password with `_password` cleared: the same password, so the tokens stand.
    rehashed = set(update_fields or ()) == {"password"} and instance._password is None
    changed = before["password"] != instance.password and not rehashed
    if changed or (before["is_active"] and not instance.is_active):
        ApiToken.objects.filter(user_id=instance.pk).revoke()

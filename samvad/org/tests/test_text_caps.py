"""Every free-text field of ours has a cap, in the model and in the database (issue 16, build
item 10: a probe stored 1 MB in several). A CharField's max_length is its column's size; a
TextField has no size, so its max_length is held by a CheckConstraint on its length."""

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

# Text that nobody types into Samvad: written by Samvad itself (errors, messages), read from X
# (bounded by X's own rules; a constraint would stop the fetch), or sealed secrets.
NOT_TYPED = {
    "jobs.Job.last_error",
    "content.Post.last_error",
    "x.Connection.access_token_sealed",
    "x.Connection.refresh_token_sealed",
    "x.Connection.token_secret_sealed",
    "x.Connection.problem",
    "x.XApp.client_secret_sealed",
    "advocacy.FollowerSync.error",
    "advocacy.StaffImport.message",
    "inbox.Mention.text",
    "accounts_security.AuthenticatorApp.key_sealed",
}


def our_text_fields():
    for model in apps.get_models():
        if model.__module__.startswith("samvad."):
            for field in model._meta.local_fields:
                if isinstance(field, models.CharField | models.TextField):
                    yield f"{model._meta.label}.{field.name}", model, field


def caps_in_the_database(model) -> dict[str, int]:
    """The fields whose length a CheckConstraint holds, and to what."""
    caps = {}
    for constraint in model._meta.constraints:
        condition = getattr(constraint, "condition", None)
        if isinstance(condition, LessThanOrEqual) and isinstance(condition.lhs, Length):
            caps[condition.lhs.source_expressions[0].name] = condition.rhs
    return caps


def test_every_free_text_field_has_a_cap_in_the_model_and_the_database():
    uncapped = []
    for name, model, field in our_text_fields():
        if name in NOT_TYPED:
            continue
        if not field.max_length:
            uncapped.append(f"{name}: no max_length")
        elif (
            isinstance(field, models.TextField)
            and caps_in_the_database(model).get(field.name) != field.max_length
        ):
            uncapped.append(f"{name}: no CheckConstraint of Length <= {field.max_length}")
    assert not uncapped, "\n".join(uncapped)


def test_the_allow_list_names_real_uncapped_fields():
    fields = {name: field for name, _, field in our_text_fields()}
    assert all(name in fields and not fields[name].max_length for name in NOT_TYPED)


@pytest.mark.django_db
def test_the_database_refuses_a_comment_past_its_cap(world):
    from samvad.content.models import Post

    post = Post.create_thread(by=world.editor, district=world.dausa, texts=["जल आपूर्ति"])
    post.comment = "क" * (Post._meta.get_field("comment").max_length + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        post.save(update_fields=["comment"])

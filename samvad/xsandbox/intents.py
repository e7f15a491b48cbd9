"""X's web-intent pages: a person enters their sandbox username and confirms the follow, repost,
like or post. Nothing here is automated; it is what an employee's tap on x.com would do.
"""

from datetime import UTC, datetime
from html import escape

from django.utils import translation
from django.utils.translation import gettext as _

from .api import USERNAME, weighted_length
from .pages import hidden, language, page, username_field


def known_usernames(store):
    rows = store.all("SELECT username FROM users WHERE citizen = 0 ORDER BY username LIMIT 100")
    return [r["username"] for r in rows]


def form(ctx, title, summary, button, **fields):
    with translation.override(language(ctx.request)):
        body = (
            f'<p>{escape(summary)}</p><form method="post">{hidden(**fields)}'
            f"{username_field(_('Your sandbox username'), known_usernames(ctx.store))}"
            f"<button>{escape(button)}</button></form>"
        )
        return page(ctx.request, title, body)


def done(ctx, message):
    with translation.override(language(ctx.request)):
        return page(ctx.request, _("Done"), f"<p>{escape(message)}</p>")


def missing(ctx, message):
    with translation.override(language(ctx.request)):
        return page(ctx.request, _("Not found"), f"<p>{escape(message)}</p>", 404)


def acting_user(ctx):
    """The person confirming: created on first use, so a demo needs no set-up."""
    username = ctx.request.form.get("username", "")
    return ctx.store.create_user(username) if USERNAME.match(username) else None


def follow(ctx):
    name = ctx.request.values.get("screen_name", "")
    with translation.override(language(ctx.request)):
        target = ctx.store.user(username=name)
        if not target:
            return missing(ctx, _("There is no sandbox account @%(name)s.") % {"name": name})
        if ctx.request.method == "GET" or not (user := acting_user(ctx)):
            return form(
                ctx,
                _("Follow @%(name)s") % {"name": target["username"]},
                target["name"],
                _("Follow"),
                screen_name=target["username"],
                lang=ctx.request.args.get("lang"),
            )
        ctx.store.follow(user["id"], target["id"])
        return done(
            ctx,
            _("@%(user)s now follows @%(name)s.")
            % {"user": user["username"], "name": target["username"]},
        )


def _tweet_intent(ctx, title, button, message, action):
    tweet_id = ctx.request.values.get("tweet_id", "")
    with translation.override(language(ctx.request)):
        tweet = ctx.store.tweet(tweet_id)
        if not tweet:
            return missing(ctx, _("This post does not exist."))
        if ctx.request.method == "GET" or not (user := acting_user(ctx)):
            return form(
                ctx,
                title,
                tweet["text"],
                button,
                tweet_id=tweet_id,
                lang=ctx.request.args.get("lang"),
            )
        action(user["id"], tweet["id"])
        return done(ctx, message % {"user": user["username"]})


def retweet(ctx):
    with translation.override(language(ctx.request)):
        return _tweet_intent(
            ctx,
            _("Repost this post"),
            _("Repost"),
            _("@%(user)s reposted the post."),
            ctx.store.retweet,
        )


def like(ctx):
    with translation.override(language(ctx.request)):
        return _tweet_intent(
            ctx, _("Like this post"), _("Like"), _("@%(user)s liked the post."), ctx.store.like
        )


def post(ctx):
    values = ctx.request.values
    text = " ".join(filter(None, [values.get("text", ""), values.get("url", "")]))
    with translation.override(language(ctx.request)):
        if (
            ctx.request.method == "GET"
            or not (user := acting_user(ctx))
            or not text
            or weighted_length(text) > 280
        ):
            body = (
                f'<form method="post">{hidden(lang=ctx.request.args.get("lang"))}'
                f'<label for="text">{escape(_("Post text"))}</label>'
                f'<textarea id="text" name="text" rows="5" required>{escape(text)}</textarea>'
                f"{username_field(_('Your sandbox username'), known_usernames(ctx.store))}"
                f"<button>{escape(_('Post'))}</button></form>"
            )
            return page(ctx.request, _("Create a post"), body)
        tweet = ctx.store.create_tweet(user["id"], text)
        return done(ctx, _("Posted: %(id)s") % {"id": tweet["id"]})


def status(ctx, username, tweet_id):
    """A post's own page, where Samvad's "View on X" leads in the demo (x.com/NAME/status/ID)."""
    with translation.override(language(ctx.request)):
        tweet = ctx.store.tweet(tweet_id)
        author = tweet and ctx.store.user(id=tweet["author_id"])
        # x.com/i/status/ID shows the post whoever wrote it.
        if not author or username.lower() not in ("i", author["username"].lower()):
            return missing(ctx, _("This post does not exist."))
        when = datetime.fromtimestamp(tweet["created_at"], UTC).strftime("%Y-%m-%d %H:%M UTC")
        body = (
            f"<p>{escape(tweet['text'])}</p>"
            f'<p class="sandbox">@{escape(author["username"])} · {escape(when)}</p>'
        )
        return page(ctx.request, author["name"], body)


ROUTES = {
    "GET /<username>/status/<tweet_id>": status,
} | {
    f"{method} /intent/{name}": handler
    for name, handler in (
        ("follow", follow),
        ("retweet", retweet),
        ("like", like),
        ("post", post),
        ("tweet", post),
    )
    for method in ("GET", "POST")
}

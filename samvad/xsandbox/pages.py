"""The few HTML pages the sandbox shows a person (intents, OAuth consent): tiny and translatable."""

from html import escape

from django.utils import translation
from django.utils.translation import gettext as _
from werkzeug.wrappers import Response

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}"
    "label,input,textarea,button{display:block;width:100%;margin:.4rem 0;font-size:1rem}"
    "button{padding:.6rem;background:#111;color:#fff;border:0;border-radius:2rem}"
    ".sandbox{color:#a00;font-size:.85rem}"
)


def language(request) -> str:
    return request.values.get("lang") or "hi"


def page(request, title: str, body: str, status=200) -> Response:
    """`body` is trusted HTML built with `escape()` around every value."""
    with translation.override(language(request)):
        note = escape(_("This is the local X sandbox, not x.com."))
    html = (
        f'<!doctype html><html lang="{escape(language(request))}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f'<p class="sandbox">{note}</p><h1>{escape(title)}</h1>{body}</body></html>'
    )
    return Response(html, status, content_type="text/html; charset=utf-8")


def hidden(**fields) -> str:
    return "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(str(v))}">'
        for k, v in fields.items()
        if v is not None
    )


def username_field(label: str, names=()) -> str:
    options = "".join(f'<option value="{escape(n)}">' for n in names)
    return (
        f'<label for="username">{escape(label)}</label>'
        f'<input id="username" name="username" list="sandbox-users" required'
        f' pattern="[A-Za-z0-9_]{{1,15}}" autocomplete="username">'
        f'<datalist id="sandbox-users">{options}</datalist>'
    )

from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Hindi unless the user chose English: the choice is kept on the user once logged in, and in
    a cookie before. The browser's Accept-Language is deliberately ignored: Hindi comes first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if request.user.is_authenticated:
            language = request.user.language
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response

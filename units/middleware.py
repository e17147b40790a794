from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PreferredLanguageMiddleware(LocaleMiddleware):
    """Vietnamese for everyone unless the user chose English with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so
    a district office PC with an English browser would get English pages.
    Here only the language cookie set by the switch counts."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

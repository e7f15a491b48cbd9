import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samvad.settings")
application = get_wsgi_application()
# Import the URLconf, and every view with it, while the worker boots: otherwise the first person
# a fresh worker serves after each restart waits about a quarter of a second for it.
import_module(settings.ROOT_URLCONF)

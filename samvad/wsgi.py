import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samvad.settings")
application = get_wsgi_application()
# Import the URLconf, and every view with it, while the worker boots: otherwise the first person
# a fresh worker serves after each restart waits about a quarter of a second for it.
import_module(settings.ROOT_URLCONF)
# What the boot made (about 130,000 objects: Django, the apps, the URLconf) lives as long as the
# worker. Left to the garbage collector, every full collection walks all of it again: about 50 ms
# holding every thread of the worker, once every few hundred requests. Frozen, it is never walked.
gc.freeze()

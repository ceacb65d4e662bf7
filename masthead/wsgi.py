import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
application = get_wsgi_application()

if settings.MASTHEAD_PAGE_CACHE_ENABLED:
    from masthead.delivery.pagecache.wsgi import PageCacheApp

    # Cached public pages are answered here, before Django's request stack.
    application = PageCacheApp(application)  # type: ignore[assignment]

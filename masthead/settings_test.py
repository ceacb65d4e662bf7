"""Test settings: the production settings with a throwaway data dir and an eager queue."""

import atexit
import os
import shutil
import tempfile

if "MASTHEAD_DATA_DIR" not in os.environ:
    os.environ["MASTHEAD_DATA_DIR"] = tempfile.mkdtemp(prefix="masthead-test-")
    # Removed when the test process ends (subprocesses inherit the variable, not the cleanup).
    atexit.register(shutil.rmtree, os.environ["MASTHEAD_DATA_DIR"], ignore_errors=True)
os.environ.setdefault("MASTHEAD_HTTPS", "0")
os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
# Tests never reach the internet; the tests of remote pictures turn this on for a local server.
os.environ.setdefault("MASTHEAD_WIRE_FETCH_PICTURES", "0")
os.environ.setdefault("MASTHEAD_SERVE_MEDIA", "1")  # the browser tests load the pictures

from masthead.settings import *  # noqa: F403
from masthead.settings import HUEY

HUEY = {**HUEY, "immediate": True}
MASTHEAD_PAGE_CACHE = {"BACKEND": "masthead.delivery.pagecache.memory.MemoryPageCache"}
MASTHEAD_RENDITION_WIDTHS = [320]  # fewer encodes: tests ingest many pictures
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory: threads in the concurrency tests then wait on the
    # busy timeout as in production instead of failing with "table is locked".
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(os.environ["MASTHEAD_DATA_DIR"], "test.sqlite3")
    }

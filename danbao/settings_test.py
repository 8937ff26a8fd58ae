"""Test settings: fast hasher, in-process cache, mail and Celery; everything else as production."""

import importlib.util
import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghij")
os.environ.setdefault("DANBAO_INSECURE_HTTP", "1")
# Fixed test key (32 zero bytes would also do; this one is just not all zeros).
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "test:ZGFuYmFvLXRlc3QtZmllbGQta2V5LTMyLWJ5dGVzISE=")

from danbao.settings import *  # noqa: E402,F403
from danbao.settings import BASE_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
ALLOWED_HOSTS = ["*"]
SECURE_SSL_REDIRECT = False

# A test-only app with a scoped business model (data-scope proof, tests/scopeapp). Skipped when `tests`
# is another package (makemessages runs inside an app directory, where `tests` is that app's tests).
try:
    _has_scopeapp = importlib.util.find_spec("tests.scopeapp") is not None
except ImportError:
    _has_scopeapp = False
if _has_scopeapp:
    INSTALLED_APPS = [*INSTALLED_APPS, "tests.scopeapp"]  # noqa: F405

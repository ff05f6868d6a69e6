import os

# ruleid: sanzhang-settings-debug-true
DEBUG = True
# ok: sanzhang-settings-debug-true
DEBUG = os.environ.get("DEBUG", "") == "true"
# ruleid: sanzhang-settings-insecure-literal
SESSION_COOKIE_SECURE = False
# ok: sanzhang-settings-insecure-literal
CSRF_COOKIE_SECURE = not DEBUG
# ruleid: sanzhang-settings-insecure-literal
ALLOWED_HOSTS = ["*"]
# ok: sanzhang-settings-insecure-literal
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

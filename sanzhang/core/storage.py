"""Static files in production: compressed (gzip and Brotli where installed) and named by their
content's hash, so browsers keep them for a year and fetch a new name when a file changes
(WhiteNoise serves both). `manage.py collectstatic` writes them; a file missing from the
manifest is served under its plain name rather than failing the page."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

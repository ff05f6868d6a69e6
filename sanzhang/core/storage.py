"""Static files in production: compressed (gzip, and Brotli where installed) and named by
their content's hash, so browsers keep them for a year and fetch a new name when a file
changes (WhiteNoise serves both). `manage.py collectstatic` writes them after each upgrade.

A file the manifest does not know (collectstatic not run yet, or a file added since) is named
as it is rather than failing the page: Django's storage raises there, and a page that cannot
name its style sheet, the error page included, would be a 500 with no page at all."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def stored_name(self, name: str) -> str:
        try:
            return str(super().stored_name(name))
        except ValueError:  # neither in the manifest nor collected: its plain name
            return name

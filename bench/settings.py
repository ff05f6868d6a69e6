"""Settings for the intake bench: the project's, with one bare endpoint added to the URLs."""

from sanzhang.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_urls"

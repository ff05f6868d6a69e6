"""Settings for the sign-up bench: the intake bench's (production settings plus /bench/bare/),
with the development SMS outbox turned on after the project's settings have refused it.

sanzhang.settings reads SMS_DEV_OUTBOX from the environment (default: DEBUG) and raises
ImproperlyConfigured when it is on with DEBUG off, so a production install never writes codes
to a file. The bench has no SMS provider and must read the codes: it turns the outbox on here,
and the codes go to VAR_DIR/dev-sms.txt, VAR_DIR being the bench's temporary copy of the
county. This is the one departure from production in the sign-up path: there the code is
queued, encrypted, for the worker (sanzhang.signup.sms.text_code).
"""

from bench.settings import *  # noqa: F403

SMS_DEV_OUTBOX = True

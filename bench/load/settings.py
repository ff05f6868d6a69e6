"""Production settings for the load test, but for the cookies' Secure flag: the balancer here
speaks plain HTTP on the loopback (in production it terminates TLS), and a client keeps a Secure
cookie away from plain HTTP, as browsers do. Everything else is the project's own."""

from sanzhang.settings import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

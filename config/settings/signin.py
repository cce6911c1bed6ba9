"""Sign-in limits (django-axes), read from the environment; base.py imports them."""

from datetime import timedelta

from config.env import env_int

# Admin sign-in is limited per account and per address (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for
# one account, or from one address, that account or address may not sign in, even with the right password, until
# LOGIN_COOLOFF_MINUTES have passed since the last failure. A right password resets the count. Token requests are
# limited per address by THROTTLE_LOGIN (core.throttling); their failures count towards the account's lockout too.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]  # each on its own: one account, or one address
AXES_ONLY_ADMIN_SITE = False  # the workspace sign-in is limited like the admin's
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout neither count nor extend it: the cool-off runs from the last counted failure, so a
# guesser gets at most LOGIN_FAILURE_LIMIT tries per cool-off.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # no banner on every command; failures and lockouts are still logged
# The same client address as the API's rate limits: behind TRUSTED_PROXY_COUNT proxies, the one they saw.
AXES_CLIENT_IP_CALLABLE = "core.admin_actions.sign_in_address"
# The lockout's answer: 429 with this message and Retry-After, the seconds the lockout has left. An operator lifts one
# sooner with `manage.py axes_reset_username <name>` or `axes_reset_ip <address>`, a superuser by deleting its rows in
# the admin (Operations > Access attempts); editors cannot: it reopens an account to guessing (docs/operations.md).
AXES_LOCKOUT_CALLABLE = "core.authentication.sign_in_lockout"
AXES_COOLOFF_MESSAGE = (
    "Too many failed sign-ins for this account or from this address. Signing in is blocked for "
    f"{LOGIN_COOLOFF_MINUTES} minutes after the last failed attempt; an administrator can lift the block sooner."
)

"""Property tests that throw hostile and random input at the public site.

`fuzz` is the Hypothesis profile every test here uses: bounded for CI, no deadline
(a request through Wagtail's page serving is slow next to a pure function), and no
example database in the shared checkout. FUZZ_PROFILE=thorough runs far more examples.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "fuzz",
    max_examples=60,
    deadline=None,
    database=None,
    print_blob=True,
    # Each example is a full request on the test's database; pytest's function-scoped
    # fixtures (the site tree, the client's settings) are shared by all of a test's examples.
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
settings.register_profile("thorough", parent=settings.get_profile("fuzz"), max_examples=1000)

fuzz = settings.get_profile(os.environ.get("FUZZ_PROFILE", "fuzz"))

"""mypy's django-stubs plugin: the test settings, loadable without a database server.

The plugin only imports the settings and the models (it never connects), but the test settings
refuse anything but PostgreSQL, so a PostgreSQL URL that nothing listens on stands in when
DATABASE_URL is unset (`make lint` runs mypy without the throwaway servers).
"""

import os

os.environ.setdefault("DATABASE_URL", "postgres://typecheck@127.0.0.1:1/typecheck")

from .test import *

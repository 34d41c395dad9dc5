"""Developer and demo profile: `make run`.

DEBUG is off by default, as users of the demo should see the application's own error
pages and not Django's debug pages (which list every URL pattern and setting);
``DEBUG=true make run`` turns it on for development. Static files are served by
WhiteNoise from STATIC_ROOT either way (`make run` runs collectstatic first).
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=False)

"""The WSGI application that gunicorn serves (deploy/gunicorn.conf.py).

It defaults to the production settings: a server started without
DJANGO_SETTINGS_MODULE must not run with DEBUG and development secrets.
``manage.py`` keeps the development settings.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.production")
application = get_wsgi_application()

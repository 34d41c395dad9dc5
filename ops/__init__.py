"""Operations: backups that restore (``manage.py backup`` / ``manage.py restore``).

Not a domain app: it reads the other apps' tables by name (``apps.get_model``) and
never imports their code, so it sits outside the layer contract like ``bench``."""

"""Backup and restore of the whole platform (database and uploaded files, one archive):
``python manage.py backup`` / ``restore`` (docs/architecture.md, "Faults")."""

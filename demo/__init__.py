"""The demo data set and `manage.py load_demo`: it imports every other app, and no app imports it."""

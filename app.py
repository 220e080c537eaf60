"""Entry point: `flask --app app run` and `gunicorn app:app` find the application here."""

from service import create_app

app = create_app()

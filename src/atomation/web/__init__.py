"""The workspace web app (FastAPI); :func:`atomation.web.app.create_app` builds it."""

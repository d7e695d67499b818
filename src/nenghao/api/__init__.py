"""The HTTP API (FastAPI): app factory, authentication, authorisation, one error shape."""

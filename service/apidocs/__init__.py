"""The API docs' own assets (Swagger UI, ReDoc), served by the app itself."""

"""The Python side of the provider, shared by both transports (worker process and pemja)."""

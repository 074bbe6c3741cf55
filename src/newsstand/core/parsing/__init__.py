"""Feed parsing by format; ``newsstand.core.parse.parse_feed`` is the entry point."""

"""Main-content extraction of article pages (the parts behind ``newsstand.core.extract``)."""

"""Where the use cases run the core's heavy work: the parsing process pool, the text model."""

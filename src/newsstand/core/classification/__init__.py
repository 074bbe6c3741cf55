"""Section classification: text features and the linear model (see newsstand.core.classify)."""

"""Management commands of the Latih site: ``demo``."""

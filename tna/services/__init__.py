"""Write paths of the tna app: one keyword-only function per operation that spans models."""

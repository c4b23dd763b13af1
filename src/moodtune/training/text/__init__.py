"""Training the text-mood model (needs the [train] extra)."""

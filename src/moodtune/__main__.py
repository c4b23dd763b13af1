"""``python -m moodtune`` runs the command-line interface."""

from moodtune.delivery.cli import main

main()

"""``python -m vigil`` runs the command-line interface."""

from .cli import main

main()

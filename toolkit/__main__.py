"""``python -m toolkit`` runs the ``lnm`` command."""

from .cli import run

if __name__ == "__main__":
    run()

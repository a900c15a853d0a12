"""`python -m pipeline`: the vcio command line."""

from .cli import main

main(prog_name="vcio")

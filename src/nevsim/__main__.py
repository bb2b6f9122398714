"""`python -m nevsim` runs the command line."""

from nevsim.cli.app import main

main()

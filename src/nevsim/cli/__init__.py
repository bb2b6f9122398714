"""The `nevsim` command line: one module per command group, all calling the Python API."""

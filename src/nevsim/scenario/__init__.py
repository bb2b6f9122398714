"""The shared domain base: units, distributions, provenance, located errors, loading."""

"""The catalog wing, at the bottom: loading, checking and modelling the repository's YAML files (and review records).

Imports no other wing; every other wing may import it.
"""

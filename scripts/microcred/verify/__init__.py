"""The verify wing: fetching a badge and its documents and checking them as a verifier does.

May import the catalog and badges wings.
"""

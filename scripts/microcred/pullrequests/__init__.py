"""The pull-requests wing: check-pr's scope, completeness and privacy checks, and the `new` scaffolds.

May import the catalog and badges wings (a prerequisite counts as earned when its badge is minted and not revoked).
"""

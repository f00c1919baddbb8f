"""The reports wing: the history of records and badges, district earnings and review quality.

May import the catalog and badges wings.
"""

"""The site wing: pages and charts from the catalog and its history, the mkdocs build and the preview server.

May import the catalog, badges and reports wings.
"""

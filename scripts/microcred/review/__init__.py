"""The review wing: decide() over a pull request's reviews, review rounds, the PyGithub adapter, the gate and its comment.

May import the catalog wing.
"""

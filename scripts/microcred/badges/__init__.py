"""The badges wing: where badges live, the Open Badges 2.0 and 3.0 documents, signing, artwork, mint and revoke.

May import the catalog and review wings (mint re-checks an approval as the gate counts it).
"""

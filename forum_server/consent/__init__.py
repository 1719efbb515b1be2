"""Consent and attribution: a space's versioned participation terms, their acceptance
by participants, and each person's choice of how reports cite them."""

"""Deciding together: reactions on posts, and polls and proposals in a session."""

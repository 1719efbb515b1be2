"""Calls for submissions: the secretariat asks countries and organizations for their
views by a deadline, each answers once, and the answers are compiled."""

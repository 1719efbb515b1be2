"""Participation while it can still be fixed: a session's dashboard for those who run
it, the expected turnout, and reminders to those who have not taken part yet."""

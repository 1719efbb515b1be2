"""Calendars (iCalendar) and Atom feeds of spaces and sessions, public or through a
person's own secret address."""

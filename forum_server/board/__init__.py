"""A space's bulletin board: announcements, projects, opportunities and needs in one
common format, posted by editors and suggested by others."""

"""Draft syntheses: the most central, least repetitive sentences of a discussion,
picked locally and deterministically, for a moderator to review and accept."""

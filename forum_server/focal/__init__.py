"""National focal points: the register per country, notifications to them with a
record of who they went to, reminders, and the signed links that let a focal point
act without an account."""

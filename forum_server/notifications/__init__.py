"""In-page notifications: replies, mentions, decisions on held posts and new guiding
questions, written with the change that causes them and shown through the policy."""

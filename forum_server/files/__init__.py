"""Documents and attachments: content-addressed storage, uploads checked by their
content, a library per space, files on posts, and safe serving through the policy."""

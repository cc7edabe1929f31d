"""An office's responses: drafting, attachments, revisions and how they read."""

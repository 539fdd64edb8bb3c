"""Text → typed mentions: the spaCy pipeline, its rules and lexicons."""

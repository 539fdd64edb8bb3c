"""Named queries and the Python lookup API."""

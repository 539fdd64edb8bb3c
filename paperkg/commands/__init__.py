"""CLI command groups; each module has `register(subparsers)` adding its commands."""

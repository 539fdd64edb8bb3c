"""Readers: files of papers → `Paper` records (streaming) and rejects."""

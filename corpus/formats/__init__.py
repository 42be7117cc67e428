"""Readers for binary document formats: bytes → text in the line conventions `clean.py` reads.

Each reader returns plain text (one line per extracted line or paragraph) and raises
`InputError` with a reason code an editor can act on. `ingest.read_bytes` dispatches by suffix.
"""

"""The session config diff: what the client asked of the session and what it got.

No Textual here: the TUI's config diff view (ctrl+o) lays these out.

- `fields`: a `session.update` against the server's answer, field by field: accepted,
  clamped, rewritten, ignored, refused, and what the service defaulted.
- `profiles`: two profiles of the config side by side, with the session each would send.
"""

"""The event composer's core: the client events of each dialect (a compact schema),
checking a hand-written event against it, templates filled with the session's ids, and
the history of sent events. No Textual: the composer screen (`rt_tui.tui`) lays it out."""

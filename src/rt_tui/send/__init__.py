"""`rt-tui send`: one turn from the command line, the reply streamed to stdout.

`session` runs the turn; `reply_audio` collects and writes the reply's audio.
"""

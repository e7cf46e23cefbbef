"""The event inspector's Textual-free parts: frame store, filter, summaries, detail, export.

Each is imported from its own module: importing the package loads none of them, so a part
the first frame needs (the filter, the status line) does not bring the store with it.
"""

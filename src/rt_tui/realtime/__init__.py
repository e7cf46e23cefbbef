"""The realtime engine: endpoints, events, connection, conversation state, recorder.

Nothing in this package may import Textual; a test enforces it.
"""

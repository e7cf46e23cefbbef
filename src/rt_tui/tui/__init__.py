"""The Textual user interface: app, screens and widgets around the realtime engine."""

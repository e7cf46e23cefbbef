"""Answering the model's function calls: built-in demo tools, shell commands, and the
bookkeeping of which calls still wait and when the next response may be asked for.

UI-free: the TUI decides when to ask the user; this says who answers and with what.
"""

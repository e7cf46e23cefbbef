"""The bug-report bundle, UI-free: one zip of a session log, the conversation rebuilt from
it as Markdown, the assistant's audio as WAV files, the config without its secrets and
the versions in use (`bundle.write_bundle`).

`rt-tui bundle [LOG]` (`rt_tui.bundle`) and the TUI's Bundle key both write it through
here. Every text that goes in passes through one `Redactor` that knows every secret the
config and the environment hold (`known_secrets`), on top of the redaction the log got
when it was recorded.
"""

"""The cost meter: what a session's tokens cost, priced from a table shipped as data.

No Textual here: the TUI's status bar, the response details and the cost view, and
`rt-tui replay --cost`, all price usage through this package.

- `table`: the shipped `prices.toml` under the config's `[cost.prices]`; which row
  prices a model.
- `meter`: tokens by kind times their prices; the model a session runs; the budget.
- `rate_limits`: `rate_limits.updated` as gauges.
- `summary`: a session's cost as lines of text (per response, by kind, in total).
"""

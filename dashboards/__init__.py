"""What the analyst sees: the static dashboard, charts, display labels and the read queries
behind them; `delivery/` gets the digest email to its readers; `cookbook/` holds the analysts'
own SQL recipes (never run by the pipeline).

Plain functions over a DuckDB connection and `Settings`; nothing here imports Prefect, so the
daily flow, the CLI and the tests all call the same code.
"""

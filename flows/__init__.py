"""The application: what runs, in what order, from which command.

`cli` (the `marsad` command) → `config` (all config files validated at once, before anything
runs) → `commands` (what each command does) and `daily` (the Prefect flow, retrying only I/O
failures: `retries`) → `pipeline` (the daily steps as plain functions, in order).
This is the only room that imports Prefect (`daily`, `deploy`, `secrets`), and nothing
imports it: it composes every room below.
"""

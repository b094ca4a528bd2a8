"""The application: what runs, in what order, from which command.

`cli` (the `marsad` command) → `commands` (what each maintenance command does) and
`daily` (the Prefect flow) → `pipeline` (the daily steps as plain functions, in order).
This is the only room that imports Prefect (`daily`, `deploy`, `secrets`), and nothing
imports it: it composes every room below.
"""

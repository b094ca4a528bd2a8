"""Prefect orchestration only: the daily flow, its batched tasks, schedules and artifacts."""

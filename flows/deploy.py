"""Schedules: serve the daily flow on its cron (in the digest time zone) from config."""

from __future__ import annotations

from prefect.schedules import Cron, Schedule

from extractors.core.settings import Settings
from flows.daily import DEPLOYMENT_NAME, daily


def daily_schedule(settings: Settings) -> Schedule:
    """The configured cron ([schedule] cron) interpreted in the digest time zone."""
    return Cron(settings.cron, timezone=settings.timezone)


def serve_daily(settings: Settings) -> None:
    """Register the deployment with the Prefect API and run it on schedule until stopped."""
    daily.serve(name=DEPLOYMENT_NAME, schedules=[daily_schedule(settings)],
                description="Marsad daily run: seeds + sources → warehouse → digest → email + dashboard")

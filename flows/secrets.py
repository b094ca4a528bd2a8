"""Secrets for delivery: the SMTP password from the environment or a Prefect Secret block.

Secrets never live in a config file. `MARSAD_SMTP_PASSWORD` wins; otherwise, when
`MARSAD_SMTP_SECRET_BLOCK` (or `[smtp] secret_block`) names a Prefect Secret block, the
password is loaded from the Prefect API at send time — so a scheduled deployment can keep it
in Prefect's store instead of a worker's environment.
"""

from __future__ import annotations

import dataclasses
from typing import cast

from extractors.core.errors import ConfigError
from extractors.core.settings import Settings


def with_smtp_password(settings: Settings) -> Settings:
    """Settings whose SMTP password is resolved (environment first, then the Secret block)."""
    smtp = settings.smtp
    if smtp.password or not smtp.secret_block:
        return settings
    from prefect.blocks.system import Secret

    try:
        block = Secret.load(smtp.secret_block, _sync=True)  # type: ignore[call-arg]  # sync even under async
        password = cast(Secret, block).get()
    except Exception as exc:  # noqa: BLE001 — any failure here is one config problem for the user
        raise ConfigError(f"cannot load the Prefect Secret block {smtp.secret_block!r} for the SMTP password: "
                          f"{type(exc).__name__}", hint="create it with `prefect block create secret` or set "
                          "MARSAD_SMTP_PASSWORD") from None
    return dataclasses.replace(settings, smtp=dataclasses.replace(smtp, password=str(password)))

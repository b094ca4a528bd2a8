"""One exception tree for Marsad, turned into one line and an exit code at the CLI edge.

    MarsadError                  exit 1   anything Marsad raises on purpose
    ├── ConfigError              exit 2   a config file or environment variable is wrong
    ├── UsageError               exit 2   a command-line value is wrong (a future or malformed date)
    │   └── QueryError           exit 2   `marsad sql`: the SQL is wrong, or would write (read-only)
    ├── WarehouseError           exit 3   the DuckDB file cannot be opened or migrated
    │   └── WarehouseLockedError exit 3   another process holds the write lock
    ├── FetchError                        one URL could not be fetched (recorded, never fatal)
    │   ├── RefusedError                  SSRF guard, robots.txt, scheme or content-type refusal
    │   ├── TooLargeError                 body over the size cap (raw or decompressed)
    │   └── DnsError                      the host name did not resolve (in time)
    ├── ExtractError                      one page could not be turned into an article
    ├── SeedError                         one seed file is empty, binary or not UTF-8
    └── DeliveryError            exit 4   the digest could not be written or sent

Per-item errors (FetchError, ExtractError, SeedError) are caught by the batch that met them,
recorded in `fetch_log` / `run_log` and skipped: one bad source never fails a run. Run-level
errors (ConfigError, UsageError, WarehouseError) stop the run with a message that says what,
where and what to do; the flow never retries them (flows/retries.py: I/O failures only).
"""

from __future__ import annotations


class MarsadError(Exception):
    """Base of every error Marsad raises on purpose."""

    exit_code = 1
    hint: str | None = None

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint

    def one_line(self) -> str:
        """The message as the CLI prints it: what went wrong, then what to do."""
        text = str(self)
        return f"{text} ({self.hint})" if self.hint else text


class ConfigError(MarsadError):
    exit_code = 2


class UsageError(MarsadError):
    """A value given on the command line is wrong: a malformed `--date`, or one after today."""

    exit_code = 2


class QueryError(UsageError):
    """An analyst's `marsad sql` query failed: a SQL error, or a statement that would write."""


class WarehouseError(MarsadError):
    exit_code = 3


class WarehouseLockedError(WarehouseError):
    hint = "another Marsad process is writing to it; wait for that run to finish and retry"


class FetchError(MarsadError):
    """One URL could not be fetched; `error_class` is what fetch_log records."""

    error_class = "fetch_error"


class RefusedError(FetchError):
    error_class = "refused"


class TooLargeError(FetchError):
    error_class = "too_large"


class DnsError(FetchError):
    error_class = "dns"


class ExtractError(MarsadError):
    pass


class SeedError(MarsadError):
    pass


class DeliveryError(MarsadError):
    exit_code = 4

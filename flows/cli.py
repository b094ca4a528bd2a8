"""`marsad` command line: a thin wrapper over the library (the flow, the tagger, the warehouse).

Every command has help text. Errors from the exception tree become one line on stderr and
the tree's exit code (1 generic, 2 config, 3 warehouse, 4 delivery); `--debug` shows the
traceback instead.
"""

from __future__ import annotations

import os

# Quiet, offline-friendly Prefect defaults, set before Prefect is imported anywhere.
for _key, _value in {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    "DO_NOT_TRACK": "1",
    # The temporary server of a run without PREFECT_API_URL needs more than the default 20 s
    # to start on a busy 2-core machine; a timeout there would fail an otherwise good run.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}.items():
    os.environ.setdefault(_key, _value)

import json  # noqa: E402
import sys  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Annotated, Optional  # noqa: E402

import typer  # noqa: E402

from extractors.core.errors import MarsadError  # noqa: E402
from extractors.core.settings import load_settings  # noqa: E402

app = typer.Typer(
    help="Marsad (مرصد): daily monitoring of Arabic media coverage of the AI/chip story.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_state = {"debug": False}

DateOpt = Annotated[Optional[str], typer.Option("--date", help="Digest date YYYY-MM-DD (default: today in the digest time zone).")]  # noqa: UP045


@app.callback()
def main(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks instead of one-line errors.")] = False) -> None:
    """Marsad command line."""
    _state["debug"] = debug


def _fail(exc: BaseException, code: int) -> None:
    if _state["debug"]:
        raise exc
    msg = exc.one_line() if isinstance(exc, MarsadError) else f"{type(exc).__name__}: {exc}"
    typer.echo(f"Error: {msg}", err=True)
    raise typer.Exit(code)


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(MarsadError(f"--date must be YYYY-MM-DD, got {value!r}"), 2)
    return None


def guarded(fn):
    """Turn MarsadError (and Ctrl-C) into one line and an exit code at the CLI edge."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except MarsadError as exc:
            _fail(exc, exc.exit_code)
        except KeyboardInterrupt:
            typer.echo("Interrupted.", err=True)
            raise typer.Exit(130) from None

    return wrapper


@app.command()
@guarded
def run(
    run_date: DateOpt = None,
    offline: Annotated[bool, typer.Option("--offline", help="Skip network sources; seeds only.")] = False,
    sources: Annotated[Optional[Path], typer.Option("--sources", help="Sources TOML to use instead of config/sources.toml.")] = None,  # noqa: UP045
) -> None:
    """Run the daily job once as a Prefect flow (exit 0 when it completed, even if sources failed)."""
    from flows.compute import compute_settings
    from flows.summary import print_run_summary

    _parse_date(run_date)
    compute_settings(load_settings(offline=offline or None, sources_file=sources))  # fail fast on bad config
    from flows.daily import daily

    result = daily(run_date=run_date, offline=offline, sources=str(sources) if sources else None)
    print_run_summary(result, load_settings(offline=offline or None, sources_file=sources))


StrictOpt = Annotated[bool, typer.Option("--strict", help="Exit 1 when any input line failed (default: report it and exit 0).")]


def _line_errors(errors: int, what: str, strict: bool) -> None:
    """Per-line failures keep their output line (with "error"); a warning, exit 1 only if strict."""
    if errors:
        typer.echo(f"Warning: {errors} {what} (see their \"error\" field)", err=True)
        if strict:
            raise typer.Exit(1)


@app.command()
@guarded
def tag(strict: StrictOpt = False) -> None:
    """Tag JSONL {"id","text"} from stdin; write {"id","topics","evidence"} per line (no DB, no Prefect)."""
    from extractors.tagging.tagger import load_tagger, tag_jsonl

    tagger = load_tagger(load_settings().config_dir)
    _line_errors(tag_jsonl(sys.stdin, sys.stdout, tagger), "input line(s) could not be tagged", strict)


@app.command()
@guarded
def extract(
    file_or_url: Annotated[Optional[str], typer.Argument(help="An HTML/text file or a URL; omit to read JSONL {\"id\",\"html_path\",\"url\"?} from stdin.")] = None,  # noqa: UP045
    strict: StrictOpt = False,
) -> None:
    """Extract article text and metadata (title, text, lang, published_at, author, canonical_url)."""
    from extractors.article.jsonl import extract_jsonl, extract_one

    if file_or_url:
        typer.echo(json.dumps(extract_one(file_or_url), ensure_ascii=False, default=str))
        return
    _line_errors(extract_jsonl(sys.stdin, sys.stdout), "page(s) could not be extracted", strict)


@app.command()
@guarded
def digest(
    run_date: DateOpt = None,
    send: Annotated[bool, typer.Option("--send", help="Send over SMTP (MARSAD_SMTP_*) instead of writing the outbox.")] = False,
) -> None:
    """Rebuild the digest for a date and write its emails to the outbox (or send them)."""
    from flows.commands import rebuild_digest

    typer.echo(rebuild_digest(load_settings(), _parse_date(run_date), send=send))


@app.command()
@guarded
def dashboard(
    out: Annotated[Optional[Path], typer.Option("--out", help="Output folder (default data/dashboard).")] = None,  # noqa: UP045
    run_date: DateOpt = None,
) -> None:
    """Write the static HTML dashboard (works offline, no CDN)."""
    from flows.commands import write_dashboard

    typer.echo(write_dashboard(load_settings(), out, _parse_date(run_date)))


@app.command()
@guarded
def retag(
    since: Annotated[Optional[str], typer.Option("--since", help="Only articles first seen on or after YYYY-MM-DD.")] = None,  # noqa: UP045
) -> None:
    """Re-tag stored articles with the current taxonomy (older versions' tags are kept)."""
    from flows.commands import retag_articles

    typer.echo(retag_articles(load_settings(), _parse_date(since)))


@app.command()
@guarded
def reextract(
    since: Annotated[Optional[str], typer.Option("--since", help="Only pages fetched on or after YYYY-MM-DD.")] = None,  # noqa: UP045
) -> None:
    """Re-run extraction on stored raw pages, without the network."""
    from flows.commands import reextract_pages

    typer.echo(reextract_pages(load_settings(), _parse_date(since)))


@app.command()
@guarded
def export(
    out: Annotated[Path, typer.Option("--out", help="Folder for the Parquet files.")] = Path("data/export"),
) -> None:
    """Export the warehouse tables to Parquet for BI tools."""
    from warehouse.db import open_warehouse
    from warehouse.export import export_parquet

    with open_warehouse(load_settings().db_path, read_only=True) as con:
        paths = export_parquet(con, out)
    typer.echo(f"wrote {len(paths)} Parquet files to {out}")


@app.command()
@guarded
def serve() -> None:
    """Serve the daily deployment on its cron schedule (runs until stopped)."""
    from flows.deploy import serve_daily

    serve_daily(load_settings())


if __name__ == "__main__":
    app()

"""`marsad` command line: a thin wrapper over the library (the flow, the tagger, the warehouse).

Every command has help text. Each one first loads and validates ALL config
(`flows.config.load_config`) — before Prefect or any heavy module is imported — so a typo in
any file is one line and exit 2 in well under a second. Errors from the exception tree become
one line on stderr and the tree's exit code (1 generic, 2 config or usage, 3 warehouse,
4 delivery); `--debug` shows the traceback instead (flows/cli_errors.py).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import warnings
from datetime import date
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from extractors.core.errors import UsageError
from extractors.core.topics import TOPICS
from flows.cli_errors import DEBUG, console, guarded, one_line_warnings
from flows.config import Config, load_config
from flows.prefect_env import quiet_prefect

app = typer.Typer(
    help="Marsad (مرصد): daily monitoring of Arabic media coverage of the AI/chip story.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DateOpt = Annotated[str | None, typer.Option("--date", help="Digest date YYYY-MM-DD, up to today (default: today in the digest time zone).")]


def _version() -> str:
    try:
        return version("marsad")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"marsad {_version()}")
        raise typer.Exit(0)


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks instead of one-line errors.")] = False,
    show_version: Annotated[bool, typer.Option("--version", help="Print the version and exit.", is_eager=True,
                                               callback=_print_version)] = False,
) -> None:
    """Marsad command line."""
    DEBUG["on"] = debug
    quiet_prefect()  # before any command imports Prefect
    warnings.showwarning = one_line_warnings


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--date must be YYYY-MM-DD, got {value!r}") from None


def _digest_date(config: Config, value: str | None) -> date | None:
    """A `--date` that is well-formed and not after today in the digest time zone (or None)."""
    day = _parse_date(value)
    return config.settings.digest_day(day) if day is not None else None


@app.command()
@guarded
def run(
    run_date: DateOpt = None,
    offline: Annotated[bool, typer.Option("--offline", help="Skip network sources; seeds only.")] = False,
    sources: Annotated[Path | None, typer.Option("--sources", help="Sources TOML to use instead of config/sources.toml.")] = None,
) -> None:
    """Run the daily job once as a Prefect flow (exit 0 when it completed, even if sources failed).

    One writer at a time: a second run waits up to [run] lock_wait_seconds for the first, then
    exits 3. Uses PREFECT_API_URL, else the `marsad server` server when up, else a temporary one.
    """
    config = load_config(offline=offline or None, sources_file=sources)  # all config, before Prefect
    day = _digest_date(config, run_date)
    settings = config.settings
    from flows.prefect_api import prefect_api
    from flows.progress import for_terminal, say_waiting
    from warehouse.runlock import run_lock

    # The run lock before Prefect: a second run waits (or exits 3) without starting a server.
    with run_lock(settings.db_path, "marsad run", wait=settings.lock_wait, on_wait=say_waiting), \
            for_terminal() as progress, prefect_api(settings, progress=progress) as api:
        from flows.daily import daily
        from flows.summary import print_run_summary

        result = daily(run_date=day.isoformat() if day else None, offline=offline,
                       sources=str(sources) if sources else None)
    where = ("a temporary server, history not kept (`marsad server` keeps it)" if api.kind == "temporary"
             else api.flow_run_url(result.get("flow_run_id")) or api.url)
    print_run_summary(result, settings, prefect=where)


@app.command()
@guarded
def server(
    stop: Annotated[bool, typer.Option("--stop", help="Stop the local Prefect server.")] = False,
    port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1 (another free one if taken).")] = 4200,
) -> None:
    """Start a persistent local Prefect server in the background (state in data/prefect/), or stop it.

    While it is up, `marsad run` uses it (unless PREFECT_API_URL is set): the run history and
    the digest artifacts stay, and each run prints its URL.
    """
    config = load_config()
    from flows.prefect_api import start_local, state_dir, stop_local

    if stop:
        typer.echo(stop_local(config.settings))
        return
    local, started = start_local(config.settings, port)
    ui = local.api_url.removesuffix("/api")
    typer.echo(f"local Prefect server {'started' if started else 'already running'}: {ui} "
               f"(PID {local.pid}; log {state_dir(config.settings) / 'server.log'}; stop: marsad server --stop)")


StrictOpt = Annotated[bool, typer.Option("--strict", help="Exit 1 when any input line failed (default: report it and exit 0).")]


def _line_errors(errors: int, what: str, strict: bool) -> None:
    """Per-line failures keep their output line (with "error"); a warning, exit 1 only if strict."""
    if errors:
        typer.echo(f"Warning: {errors} {what} (see their \"error\" field)", err=True)
        if strict:
            raise typer.Exit(1)


@app.command()
@guarded
def tag(
    strict: StrictOpt = False,
    explain: Annotated[bool, typer.Option("--explain", help="Also write each tag's path (rule name, or model and probability), its score and the model's probabilities.")] = False,
) -> None:
    """Tag JSONL {"id","text"} from stdin; write {"id","topics","evidence"} per line (no DB, no Prefect)."""
    config = load_config()
    from flows.commands import tag_jsonl

    tagger = config.tagging.tagger()
    _line_errors(tag_jsonl(sys.stdin, sys.stdout, tagger, explain=explain), "input line(s) could not be tagged", strict)


@app.command()
@guarded
def extract(
    file_or_url: Annotated[str | None, typer.Argument(help="An HTML/text file or a URL; omit to read JSONL {\"id\",\"html_path\",\"url\"?} from stdin.")] = None,
    strict: StrictOpt = False,
) -> None:
    """Extract article text and metadata (title, text, lang, published_at, author, canonical_url)."""
    config = load_config()
    from flows.commands import extract_jsonl, extract_one

    if file_or_url:
        typer.echo(json.dumps(extract_one(file_or_url, config.fetch), ensure_ascii=False, default=str))
        return
    _line_errors(extract_jsonl(sys.stdin, sys.stdout), "page(s) could not be extracted", strict)


@app.command()
@guarded
def digest(
    run_date: DateOpt = None,
    send: Annotated[bool, typer.Option("--send", help="Send over SMTP (MARSAD_SMTP_*) instead of writing the outbox.")] = False,
) -> None:
    """Rebuild the digest for a date and write its emails to the outbox (or send them)."""
    config = load_config()
    day = _digest_date(config, run_date)
    from flows.commands import rebuild_digest

    if send and config.settings.smtp.secret_block and not config.settings.smtp.password:
        from flows.prefect_api import prefect_api  # the password is in a Prefect Secret block

        with prefect_api(config.settings):
            typer.echo(rebuild_digest(config, day, send=send))
        return
    typer.echo(rebuild_digest(config, day, send=send))


@app.command()
@guarded
def dashboard(
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default data/dashboard).")] = None,
    run_date: DateOpt = None,
    lang: Annotated[str, typer.Option("--lang", help="Chrome language: ar (default) or en; the page has a toggle.")] = "ar",
) -> None:
    """Write the static HTML dashboard (works offline, no CDN)."""
    config = load_config()
    day = _digest_date(config, run_date)
    from flows.commands import write_dashboard

    typer.echo(write_dashboard(config.settings, out, day, lang=lang))


@app.command()
@guarded
def retag(
    since: Annotated[str | None, typer.Option("--since", help="Only articles first seen on or after YYYY-MM-DD.")] = None,
) -> None:
    """Re-tag stored articles with the current taxonomy (older versions' tags are kept)."""
    config = load_config()
    day = _parse_date(since)
    from flows.commands import retag_articles

    typer.echo(retag_articles(config, day))


@app.command()
@guarded
def label(
    article: Annotated[str, typer.Argument(help="The article's id (articles.article_id) or a URL it was seen at (the digest's link).")],
    topics: Annotated[list[str], typer.Argument(help=f"Its topics: {' '.join(TOPICS)}, or `none` (about none of them).", show_default=False)],
    note: Annotated[str, typer.Option("--note", help="Why (kept with the label).")] = "",
) -> None:
    """Record an analyst's topics for a stored article in config/labels.jsonl; `make model` trains on them."""
    config = load_config()
    from flows.commands import label_article

    if "none" in topics and len(topics) > 1:
        raise UsageError("`none` means no topic: give it alone, or name the topics")
    typer.echo(label_article(config, article, [] if topics == ["none"] else topics, note))


@app.command()
@guarded
def reextract(
    since: Annotated[str | None, typer.Option("--since", help="Only pages fetched on or after YYYY-MM-DD.")] = None,
) -> None:
    """Re-run extraction on stored raw pages, without the network."""
    config = load_config()
    day = _parse_date(since)
    from flows.commands import reextract_pages

    typer.echo(reextract_pages(config, day))


SQL_FORMATS = ("table", "csv", "json", "markdown")  # warehouse.query.FORMATS, kept here to keep --help light


def _sql_text(query: str | None, file: Path | None) -> str:
    """The SQL from the argument, `-f FILE` (`-f -` = stdin) or piped stdin: exactly one of them."""
    if query is not None and file is not None:
        raise UsageError("give the SQL either as an argument or with -f FILE, not both")
    if query is not None:
        return query
    if file is not None and str(file) != "-":
        try:
            return file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read the SQL file {file}: {exc}") from None
    if file is None and sys.stdin.isatty():
        raise UsageError('no SQL given', hint='marsad sql "select …", marsad sql -f FILE.sql, or pipe it on stdin')
    return sys.stdin.read()


@app.command()
@guarded
def sql(
    query: Annotated[str | None, typer.Argument(help="The SQL to run (omit it to use -f FILE or stdin).")] = None,
    file: Annotated[Path | None, typer.Option("-f", "--file", help="Read the SQL from this file (- for stdin).")] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="table | csv | json (JSON Lines) | markdown; default: table on a terminal, csv otherwise.")] = None,
    max_rows: Annotated[int, typer.Option("--max-rows", min=1, help="Rows the table format shows (first and last halves); other formats write all rows.")] = 40,
    bom: Annotated[bool, typer.Option("--bom", help="Start the CSV with a UTF-8 byte-order mark, so Excel shows Arabic text.")] = False,
) -> None:
    """Query the warehouse read-only (MARSAD_DB) and print the rows; it never changes nor holds the file.

    (The rows are fetched and the file closed before any output is written: see warehouse/query.py.)
    """
    config = load_config()
    if fmt is not None and fmt not in SQL_FORMATS:
        raise UsageError(f"--format must be one of {', '.join(SQL_FORMATS)}, got {fmt!r}")
    text = _sql_text(query, file)
    chosen = fmt or ("table" if sys.stdout.isatty() else "csv")
    if bom and chosen != "csv":
        raise UsageError(f"--bom is for CSV output, not {chosen}", hint="add --format csv")
    from warehouse.query import run_query, write_result

    result = run_query(config.settings.db_path, text)
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    try:
        write_result(result, chosen, sys.stdout, width=width, max_rows=max_rows, bom=bom)
        sys.stdout.flush()
    except BrokenPipeError:  # `marsad sql … | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None


@app.command()
@guarded
def export(
    out: Annotated[Path, typer.Option("--out", help="Folder for the exported files.")] = Path("data/export"),
    csv: Annotated[bool, typer.Option("--csv", help="Also write each table and view as CSV (UTF-8, with a header).")] = False,
    bom: Annotated[bool, typer.Option("--bom", help="Start each CSV with a UTF-8 byte-order mark, so Excel shows Arabic text (implies --csv).")] = False,
) -> None:
    """Export every table and view of the warehouse to Parquet (and CSV) for BI tools."""
    config = load_config()
    from warehouse.db import open_warehouse
    from warehouse.export import export_warehouse

    with open_warehouse(config.settings.db_path, read_only=True) as con:
        report = export_warehouse(con, out, csv=csv or bom, bom=bom)
    typer.echo(report.summary())


@app.command()
@guarded
def serve() -> None:
    """Serve the daily deployment on its cron schedule (runs until stopped)."""
    config = load_config()
    from flows.prefect_api import prefect_api

    with prefect_api(config.settings):
        from flows.deploy import serve_daily

        serve_daily(config.settings)


def cli(argv: list[str] | None = None) -> NoReturn:
    """The `marsad` console script (pyproject): the app, with click's usage errors as one line
    like every other error (flows/cli_errors.py)."""
    console(app, sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    cli()

"""All config validated at once (`flows.config.load_config`): every file, every section, one line.

Unknown sections and keys are errors naming file, section and key with a "did you mean";
wrong types name the key and the expected type; an old key name still works, with one line
of warning. The shipped config/*.toml and the tables the tests themselves write must load.
"""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import pytest

from extractors.core.config import ConfigDeprecationWarning, parse
from extractors.core.errors import ConfigError
from extractors.core.settings import DigestSection
from flows.config import Config, MarsadToml, load_config
from tests.webserver import marsad_fetch_toml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def cfg(tmp_path: Path) -> Path:
    """A copy of config/ to break."""
    folder = tmp_path / "config"
    shutil.copytree(ROOT / "config", folder)
    return folder


def fail(folder: Path, **kw) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(folder, env={}, **kw)
    line = info.value.one_line()
    assert "\n" not in line and info.value.exit_code == 2
    return line


def test_the_shipped_config_loads_into_validated_objects():
    config = load_config(ROOT / "config", env={})
    assert isinstance(config, Config)
    assert config.settings.top_n == 5 and config.settings.languages == ("ar",)
    assert config.fetch.min_delay == 1.0 and config.fetch.allowed_networks == ()
    # [compute] defaults: every core, no cluster, batches of 300
    assert (config.compute.workers, config.compute.scheduler, config.compute.batch_size) == (os.cpu_count() or 1, None, 300)
    assert parse(MarsadToml, {"compute": {"scheduler": ""}}, where="m.toml").compute.scheduler is None  # "" = none
    assert {s.name for s in config.sources} >= {"aljazeera", "gdelt_arabic"}
    assert config.watchlist.matches("إنفيديا") and config.recipients[0].email == "analyst@example.com"
    assert set(config.tagging.taxonomy.rules) == {"export_controls", "pricing", "privacy_bans", "market_impact"}


def test_the_tables_the_tests_write_still_load(cfg):
    """Existing config files keep working (DESIGN.md): the loopback [fetch] of the e2e test,
    the [smtp] retry table of the delivery tests, every documented key of marsad.toml."""
    shipped = (cfg / "marsad.toml").read_text(encoding="utf-8")
    shipped = shipped[: shipped.index("\n[compute]\n")]  # the shipped [compute] table, replaced below
    (cfg / "marsad.toml").write_text(
        shipped + "\n" + marsad_fetch_toml()
        + "\n[compute]\nworkers = 2\nscheduler = \"tcp://127.0.0.1:8786\"\nbatch_size = 500\n", encoding="utf-8")
    text = (cfg / "marsad.toml").read_text(encoding="utf-8")
    text = text.replace('[smtp]\n', '[smtp]\nretries = 2\nbackoff = [0.5, 1.5]\ntimeout = 5\ncafile = "/etc/ssl/x.pem"\n'
                        'host = "smtp.example.org"\nport = 2525\nuser = "marsad"\nsecret_block = "marsad-smtp"\n')
    (cfg / "marsad.toml").write_text(text, encoding="utf-8")
    config = load_config(cfg, env={})
    assert config.fetch.allowed_networks == ("127.0.0.0/8",) and config.fetch.retries == 1
    assert (config.compute.workers, config.compute.scheduler, config.compute.batch_size) == (2, "tcp://127.0.0.1:8786", 500)
    smtp = config.settings.smtp
    assert (smtp.retries, smtp.backoff, smtp.timeout, smtp.cafile, smtp.port) == (2, (0.5, 1.5), 5.0, "/etc/ssl/x.pem", 2525)


@pytest.mark.parametrize(("text", "expected"), [
    ("[fetchh]\nmin_delay = 1\n", "marsad.toml: unknown section [fetchh] (did you mean [fetch]?)"),
    ("[digest]\ntopn = 3\n", "marsad.toml [digest]: unknown key 'topn' (did you mean 'top_n'?)"),
    ("[fetch]\nmax_agedays = 1\n", "marsad.toml [fetch]: unknown key 'max_agedays' (did you mean 'max_age_days'?)"),
    ("[compute]\nworker = 2\n", "marsad.toml [compute]: unknown key 'worker' (did you mean 'workers'?)"),
    ("[smtp]\nretires = 2\n", "marsad.toml [smtp]: unknown key 'retires' (did you mean 'retries'?)"),
    ("[paths]\ndatabase = 'x.duckdb'\n", "marsad.toml [paths]: unknown key 'database'"),
    ("[digest]\ntop_n = 'five'\n", "marsad.toml [digest]: 'top_n' must be an integer, got 'five'"),
    ("[digest]\ntop_n = 99\n", "marsad.toml [digest]: 'top_n' must be <= 50, got 99"),
    ("[fetch]\nrobots = 1\n", "marsad.toml [fetch]: 'robots' must be true or false, got 1"),
    ("[fetch]\nmin_delay = '2s'\n", "marsad.toml [fetch]: 'min_delay' must be a number, got '2s'"),
    ("[fetch]\nallowed_networks = ['127.0.0.0/8', 5]\n", "marsad.toml [fetch]: 'allowed_networks' item 2 must be a string, got 5"),
    ("[compute]\nworkers = 0\n", "marsad.toml [compute]: 'workers' must be >= 1, got 0"),
    ("[compute]\nscheduler = 8786\n", "marsad.toml [compute]: 'scheduler' must be a string, got 8786"),
    ("[compute]\nbatch_size = 1.5\n", "marsad.toml [compute]: 'batch_size' must be an integer, got 1.5"),
    ("[compute]\nscheduler = 'dask-host'\n", "marsad.toml [compute]: 'scheduler' must be a scheduler address"),
    ("[ingest]\nlanguages = 'ar'\n", "marsad.toml [ingest]: 'languages' must be a list, got 'ar'"),
    ("[smtp]\ntls = 'tls'\n", "marsad.toml [smtp]: 'tls' must be one of 'starttls', 'ssl' or 'none', got 'tls'"),
    ("[smtp]\npassword = 'hunter2'\n", "marsad.toml [smtp]: 'password' does not belong in a file"),
    ("[schedule]\ncron = 'daily'\n", "marsad.toml [schedule]: 'cron' must be a cron line of 5 fields"),
    ("fetch = 3\n", "marsad.toml: 'fetch' must be a table, got 3"),
])
def test_marsad_toml_mistakes_name_file_section_and_key(cfg, text, expected):
    (cfg / "marsad.toml").write_text(text, encoding="utf-8")
    line = fail(cfg)
    assert f"{cfg}/{expected}" in line
    assert "hunter2" not in line  # a secret written by mistake is never echoed back


def test_an_unknown_key_without_a_close_match_lists_the_known_ones(cfg):
    (cfg / "marsad.toml").write_text("[digest]\ncolour = 'red'\n", encoding="utf-8")
    assert fail(cfg).endswith("[digest]: unknown key 'colour' (known keys: timezone, top_n)")


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("sources.toml", '[[source]]\nname = "a"\nkind = "rss"\nurl = "https://x.example/"\nwatchlist_filtr = true\n',
     "sources.toml [[source]] #1 (a): unknown key 'watchlist_filtr' (did you mean 'watchlist_filter'?)"),
    ("sources.toml", '[[sources]]\nname = "a"\n', "sources.toml: unknown key 'sources' (did you mean 'source'?)"),
    ("watchlist.toml", 'gdelt_query = "x"\n[[group]]\nname = "g"\nar = ["x"]\nenn = ["z"]\n',
     "watchlist.toml [[group]] #1 (g): unknown key 'enn' (did you mean 'en'?)"),
    ("recipients.toml", '[[recipient]]\nemail = "a@example.com"\ntopic = ["pricing"]\n',
     "recipients.toml [[recipient]] #1 (a@example.com): unknown key 'topic' (did you mean 'topics'?)"),
    ("recipients.toml", '[[recipient]]\nemail = "a@example.com"\nlang = "fr"\n',
     "recipients.toml [[recipient]] #1 (a@example.com): 'lang' must be one of 'ar' or 'en', got 'fr'"),
    ("entities.toml", '[entities.X]\nkind = "ai"\naliases = ["x"]\nalias = ["y"]\n',
     "entities.toml [entities.X]: unknown key 'alias' (did you mean 'aliases'?)"),
])
def test_every_other_file_is_validated_too(cfg, name, text, expected):
    (cfg / name).write_text(text, encoding="utf-8")
    assert f"{cfg}/{expected}" in fail(cfg)


def test_topics_toml_unknown_keys_are_errors(cfg):
    path = cfg / "topics.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("sentence_strength = 0.6", "sentence_strenght = 0.6", 1),
                    encoding="utf-8")
    assert fail(cfg).endswith("topics.toml: unknown key 'sentence_strenght' (did you mean 'sentence_strength'?)")


def test_a_sources_file_given_explicitly_must_exist(cfg, tmp_path):
    line = fail(cfg, sources_file=tmp_path / "no" / "such.toml")
    assert line.startswith(f"sources file not found: {tmp_path}/no/such.toml") and "--sources" in line
    line = fail(cfg, sources_file=tmp_path / "no" / "such.toml", offline=True)  # offline too: it is a typo
    assert "sources file not found" in line


def test_a_missing_default_sources_file_means_seeds_only(cfg):
    (cfg / "sources.toml").unlink()
    assert load_config(cfg, env={}).sources == ()


def test_environment_values_are_validated_with_the_files(cfg):
    with pytest.raises(ConfigError, match="MARSAD_TIMEZONE must be an IANA time zone"):
        load_config(cfg, env={"MARSAD_TIMEZONE": "Mars/Olympus"})


class RenamedDigest(DigestSection):
    """[digest] as it would be after renaming `top_n` (old name: `topn`)."""

    renamed = {"topn": "top_n"}


def test_an_old_key_name_is_accepted_with_one_line_of_warning():
    with pytest.warns(ConfigDeprecationWarning) as caught:
        section = parse(RenamedDigest, {"topn": 7}, where="marsad.toml [digest]")
    assert section.top_n == 7
    (warning,) = caught
    message = str(warning.message)
    assert message == "marsad.toml [digest]: 'topn' is an old name, write 'top_n' instead (still accepted for now)"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the new name alone: no warning at all
        assert parse(RenamedDigest, {"top_n": 7}, where="marsad.toml [digest]").top_n == 7


def test_old_and_new_name_together_is_an_error():
    with pytest.raises(ConfigError, match="both 'topn' .* and 'top_n' are set; keep only 'top_n'"):
        parse(RenamedDigest, {"topn": 7, "top_n": 8}, where="marsad.toml [digest]")


def test_every_marsad_toml_section_has_a_schema():
    """The sections README and DESIGN.md document, no more (an undocumented one would be refused)."""
    assert set(MarsadToml.model_fields) == {"paths", "digest", "schedule", "ingest", "run", "smtp", "fetch", "compute"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for section in MarsadToml.model_fields:
        assert f"[{section}]" in readme, f"[{section}] is not documented in README.md"


def test_an_old_name_inside_a_section_names_the_section():
    """The same mechanism one level down: the warning says which section of the file."""
    from flows.config import MarsadToml

    class RenamedFile(MarsadToml):
        digest: RenamedDigest = RenamedDigest()

    with pytest.warns(ConfigDeprecationWarning, match=r"^marsad.toml \[digest\]: 'topn' is an old name"):
        whole = parse(RenamedFile, {"digest": {"topn": 9}}, where="marsad.toml")
    assert whole.digest.top_n == 9


def test_config_travels_to_another_process_without_the_compiled_tagger():
    """Steps may run in other processes (Dask workers): the validated config pickles, small,
    and the tagger is compiled once per process, on first use."""
    import pickle

    config = load_config(ROOT / "config", env={})
    before = len(pickle.dumps(config))
    tagger = config.tagging.tagger()
    assert config.tagging.tagger() is tagger  # compiled once, then shared by the steps
    blob = pickle.dumps(config)
    assert len(blob) == before  # the compiled automaton (megabytes) does not travel
    copy = pickle.loads(blob)
    assert copy.tagging.tagger() is not tagger
    assert copy.tagging.tagger().taxonomy_version == tagger.taxonomy_version
    assert copy.fetch == config.fetch and copy.sources == config.sources

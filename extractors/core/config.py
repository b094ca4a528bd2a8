"""Config as data, validated at load: pydantic models that refuse unknown keys, one-line errors.

Every file Marsad reads from `config/` is checked before anything runs, and a mistake is one
`ConfigError` that says which file, which section or entry, which key and what was expected:

    config/marsad.toml: unknown section [fetchh] (did you mean [fetch]?)
    config/marsad.toml [digest]: unknown key 'topn' (did you mean 'top_n'?)
    config/marsad.toml [fetch]: 'retries' must be an integer, got 'two'
    config/sources.toml [[source]] #3 (bbc): 'kind' must be one of 'rss', 'sitemap', ...

Why a library and not hand-written checks: each room declares its schema once, as a
`ConfigModel` next to the code that uses it (`[fetch]` in extractors/web/settings.py, sources
in extractors/web/sources.py, …), and pydantic does the walking, the types and the unknown keys
(`extra="forbid"`). Types are strict: TOML has real integers, booleans and strings, so `"5"`
for a number or `1` for `true` is a mistake to report, not to coerce. TOML arrays become
tuples (`Strs`), so validated objects are immutable.

A key that is renamed stays accepted under its old name (DESIGN.md: users' config files keep
working): the model lists it in `renamed`, the value moves to the new name and one line of
`ConfigDeprecationWarning` says what to write instead. Parsers that are not pydantic models
(topics.toml, entities.toml) use `unknown_key_error` for the same message.
"""

from __future__ import annotations

import difflib
import typing
import warnings
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Strict,
    StrictStr,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from extractors.core.errors import ConfigError

# A TOML array of strings, kept as a tuple (lax only about list → tuple, strict about items).
Strs = Annotated[tuple[StrictStr, ...], Strict(False)]

M = TypeVar("M", bound="ConfigModel")


class ConfigDeprecationWarning(FutureWarning):
    """A config key under an old name: still accepted, one line says the new name.

    A FutureWarning because it is meant for the person editing the file (Python shows those
    by default); the CLI prints it as one `Warning: …` line.
    """


class ConfigModel(BaseModel):
    """Base of every config schema: unknown keys are errors, types strict, objects frozen."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    # old key → new key: the old one is still accepted, with a ConfigDeprecationWarning.
    renamed: ClassVar[dict[str, str]] = {}

    @model_validator(mode="before")
    @classmethod
    def _accept_renamed_keys(cls, data: Any, info: ValidationInfo) -> Any:
        if not cls.renamed or not isinstance(data, dict):
            return data
        data = dict(data)
        for old, new in cls.renamed.items():
            if old not in data:
                continue
            if new in data:
                raise ValueError(f"both '{old}' (its old name) and '{new}' are set; keep only '{new}'")
            data[new] = data.pop(old)
            found = (info.context or {}).get("renamed")
            if isinstance(found, list):
                found.append((cls, old, new))
        return data


def did_you_mean(word: str, choices: Iterable[str], fmt: str = "'{}'") -> str:
    """` (did you mean 'top_n'?)` when a known name is close to `word`, else ``."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {fmt.format(close[0])}?)" if close else ""


def unknown_key_error(where: str, key: str, known: Iterable[str], *, what: str = "key") -> ConfigError:
    """The one message for an unknown key (or section), with the closest known name."""
    known = sorted(known)
    if what == "section":
        guess = did_you_mean(key, known, "[{}]")
        return ConfigError(f"{where}: unknown section [{key}]{guess}",
                           hint=None if guess else f"known sections: {', '.join(known)}")
    guess = did_you_mean(key, known)
    return ConfigError(f"{where}: unknown {what} '{key}'{guess}",
                       hint=None if guess or not known else f"known keys: {', '.join(known)}")


def check_keys(table: Mapping[str, Any], known: Iterable[str], where: str, *, what: str = "key") -> None:
    """Raise `unknown_key_error` for the first key of `table` that is not in `known`."""
    known = set(known)
    for key, value in table.items():
        if key not in known:
            raise unknown_key_error(where, key, known, what="section" if isinstance(value, dict) else what)


def first_repeat(values: Iterable[str]) -> str | None:
    """The first value that occurs twice (for "each name once" checks), or None."""
    seen: set[str] = set()
    for value in values:
        if value in seen:
            return value
        seen.add(value)
    return None


def parse(model: type[M], data: Any, *, where: str) -> M:
    """Validate `data` (a TOML table) into `model`, or raise one ConfigError naming `where`.

    `where` is the file, optionally with its section ("config/marsad.toml [fetch]").
    """
    renamed: list[tuple[type[BaseModel], str, str]] = []
    try:
        obj = model.model_validate(data, context={"renamed": renamed})
    except ValidationError as exc:
        raise _config_error(exc, model, data, where) from None
    for owner, old, new in dict.fromkeys(renamed):
        # stacklevel 1: one location, so a file validated twice (kernel, then whole) warns once
        warnings.warn(f"{where}{_section_of(model, owner)}: '{old}' is an old name, write '{new}' instead "
                      "(still accepted for now)", ConfigDeprecationWarning, stacklevel=1)
    return obj


def _section_of(model: type[BaseModel], owner: type[BaseModel]) -> str:
    """` [fetch]` when `owner` is the schema of one of `model`'s sections, else ``."""
    for name, field in model.model_fields.items():
        if owner is not model and _model_in(field.annotation) is owner:
            many = typing.get_origin(field.annotation) in (list, tuple)
            return f" [[{name}]]" if many else f" [{name}]"
    return ""


# ---- turning a pydantic error into one line ----------------------------------------------

_EXPECTED = {
    "int_type": "an integer", "int_parsing": "an integer", "int_from_float": "an integer",
    "float_type": "a number", "float_parsing": "a number",
    "bool_type": "true or false", "bool_parsing": "true or false",
    "string_type": "a string", "list_type": "a list", "tuple_type": "a list", "set_type": "a list",
    "dict_type": "a table", "model_type": "a table", "model_attributes_type": "a table",
}


def _problem(err: Mapping[str, Any]) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    got = f", got {err['input']!r}"
    if kind in _EXPECTED:
        return f"must be {_EXPECTED[kind]}{got}"
    bounds = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}
    if kind in bounds:
        limit = next(iter(ctx.values()), "?")
        return f"must be {bounds[kind]} {limit}{got}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '?')}{got}"
    if kind == "string_too_short":
        return f"must be a non-empty string{got}"
    if kind == "too_short":
        return f"must not be empty{got}"
    if kind == "too_long":
        return f"has too many items (at most {ctx.get('max_length', '?')})"
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error") or err["msg"])
    return f"{err['msg'][:1].lower()}{err['msg'][1:]}{got}"


def _printable(name: Any) -> bool:
    """A name safe to show in a one-line message (no newline or control character)."""
    return isinstance(name, str) and 0 < len(name) <= 80 and name.isprintable()


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The ConfigModel inside an annotation such as `FetchSettings`, `list[Entry]`, `X | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _config_error(exc: ValidationError, model: type[BaseModel], data: Any, where: str) -> ConfigError:
    """The first problem pydantic found, as `<where> [section] #n (name): '<key>' <problem>`."""
    errors = exc.errors(include_url=False)
    # an unknown key first: a misspelt key usually explains the "missing" one next to it
    err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    loc = list(err["loc"])
    whole = err["type"] in ("value_error", "assertion_error")  # a validator's verdict on a table
    label, node, key, rest = where, data, None, ""
    current: type[BaseModel] | None = model
    for i, part in enumerate(loc):
        if key is not None:  # inside a key's value: an item of a list or a key of a table
            rest += f" item {part + 1}" if isinstance(part, int) else f".{part}"
            continue
        if isinstance(part, int):  # an entry of an array of tables: its number, and its name if any
            entry = node[part] if isinstance(node, list) and part < len(node) else None
            name = (entry.get("name") or entry.get("email")) if isinstance(entry, dict) else None
            label += f" #{part + 1}" + (f" ({name})" if _printable(name) else "")
            node = entry
            continue
        field = current.model_fields.get(part) if current is not None else None
        sub = _model_in(field.annotation) if field is not None else None
        if sub is None or (i == len(loc) - 1 and not whole):
            key = part
            continue
        many = field is not None and typing.get_origin(field.annotation) in (list, tuple)
        label += f" [[{part}]]" if many else f" [{part}]"
        current = sub
        node = node.get(part) if isinstance(node, dict) else None
    if err["type"] == "extra_forbidden" and key is not None and not rest:
        known = list(current.model_fields) if current is not None else []
        # an unknown name holding a table is a misspelt section ([fetchh]), else a key
        what = "section" if isinstance(err["input"], dict) else "key"
        return unknown_key_error(label, key, known, what=what)
    if err["type"] == "missing" and key is not None:
        return ConfigError(f"{label}: missing required key '{key}'")
    return ConfigError(f"{label}: '{key}'{rest} {_problem(err)}" if key else f"{label}: {_problem(err)}")

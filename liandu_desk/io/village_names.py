"""Maps a screening row's 村（社区） text to the township's register: official and short forms, nearest names."""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from collections.abc import Mapping, Sequence

from liandu_desk.io.cells import CellError

# (name, NBS name, last valid day) of each village or community, by township id
Register = Mapping[int, Sequence[tuple[str, str | None, dt.date | None]]]
SUGGESTIONS = 3
CUTOFF = 0.5
ADD_HINT = "如确有此村（社区），请先在“工具 → 村（社区）名册”中添加"


def key(text: str) -> str:
    """Names compare full-width folded, without spaces."""
    return unicodedata.normalize("NFKC", text or "").replace(" ", "").strip()


def _stem(text: str) -> str:
    """A name without its committee or village suffix: 保定村委会, 保定村 → 保定."""
    name = key(text)
    for suffix in ("社区居民委员会", "村民委员会", "社区居委会", "居委会", "村委会", "社区", "村"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _forms(name: str, official: str | None) -> set[str]:
    """What a file may write for a village: its name, the NBS name, the stem (保定 for 保定村) and the committee's
    full name (保定村民委员会, 永晖社区居民委员会)."""
    forms = {key(name)}
    if official:
        forms.add(key(official))
    for suffix, committee in (("社区", "社区居民委员会"), ("村", "村民委员会")):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            if len(stem) >= 2:
                forms.add(key(stem))
            forms.add(key(stem + committee))
            break
    return forms


class VillageMatcher:
    """Resolves 村（社区） text under a township. Strict: text the register does not name, or a retired village,
    is a cell error suggesting the nearest names. Otherwise: a known form becomes the register's name and any other
    text passes unchanged (the layout's rule is "non-empty text")."""

    def __init__(self, register: Register, strict: bool, today: dt.date | None = None) -> None:
        self.strict = strict
        self.today = today or dt.date.today()
        self._forms: dict[int, dict[str, tuple[str, dt.date | None]]] = {}
        self._current: dict[int, list[str]] = {}
        for township_id, villages in register.items():
            seen: dict[str, set[tuple[str, dt.date | None]]] = {}
            for name, official, valid_to in villages:
                for form in _forms(name, official):
                    seen.setdefault(form, set()).add((name, valid_to))
            exact = {key(name): (name, valid_to) for name, _official, valid_to in villages}
            forms = {form: next(iter(found)) for form, found in seen.items() if len(found) == 1}
            forms.update(exact)  # a village's own name wins over another's short form
            self._forms[township_id] = forms
            self._current[township_id] = [n for n, _o, valid_to in villages if self._valid(valid_to)]
        self._memo: dict[tuple[int, str], str | CellError] = {}

    def _valid(self, valid_to: dt.date | None) -> bool:
        return valid_to is None or valid_to >= self.today

    def resolve(self, township_id: int, township_name: str, text: str) -> str:
        """The register's name for the text, or the text itself (not strict); CellError (strict) when unknown."""
        memo_key = (township_id, text)
        found = self._memo.get(memo_key)
        if found is None:
            found = self._resolve(township_id, township_name, text)
            self._memo[memo_key] = found
        if isinstance(found, CellError):
            raise found
        return found

    def _resolve(self, township_id: int, township_name: str, text: str) -> str | CellError:
        match = self._forms.get(township_id, {}).get(key(text))
        if match is not None:
            name, valid_to = match
            if self.strict and not self._valid(valid_to):
                return CellError(f"“{name}”已于{valid_to.isoformat()}撤销（见村（社区）名册），请核对")
            return name
        if not self.strict:
            return text
        return CellError(self.unknown_reason(township_id, township_name, text))

    def suggestions(self, township_id: int, text: str) -> list[str]:
        """The current names of the township nearest to the text, best first (compared without 村/社区, so a
        shared suffix alone does not make two names near)."""
        by_stem: dict[str, str] = {}
        for name in self._current.get(township_id, []):
            by_stem.setdefault(_stem(name), name)
        close = difflib.get_close_matches(_stem(text), list(by_stem), n=SUGGESTIONS, cutoff=CUTOFF)
        return [by_stem[k] for k in close]

    def unknown_reason(self, township_id: int, township_name: str, text: str) -> str:
        near = self.suggestions(township_id, text)
        if near:
            return f"“{text}”不在{township_name}的村（社区）名册中，相近的有：{'、'.join(near)}"
        return f"“{text}”不在{township_name}的村（社区）名册中；{ADD_HINT}"

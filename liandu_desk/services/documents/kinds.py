"""Which facts class, builder and templates each numbered document type uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from liandu_desk.domain.documents import DocType
from liandu_desk.reports.engine import Part
from liandu_desk.reports.wording import Wordings


@dataclass(frozen=True)
class DocKind:
    """A document type's facts dataclass, its parts builder ((facts, wordings) → PDF parts), the paragraphs kept
    with the issued row, and the templates that word it (its own first, then its 送达回证's if it has one)."""

    facts_class: type
    build: Callable[[Any, Wordings | None], list[Part]]
    templates: tuple[str, ...]
    paragraphs: Callable[[Any, Wordings | None], list[str]] | None = None

    @property
    def template(self) -> str:
        return self.templates[0]

    @property
    def receipt_template(self) -> str | None:
        return "receipt" if "receipt" in self.templates[1:] else None


_KINDS: dict[DocType, Callable[[], DocKind]] = {}


def register(doc_type: DocType) -> Callable[[Callable[[], DocKind]], Callable[[], DocKind]]:
    """Decorator: register a lazy loader of a document type's kind (keeps reportlab imports lazy)."""

    def wrap(loader: Callable[[], DocKind]) -> Callable[[], DocKind]:
        _KINDS[doc_type] = loader
        return loader

    return wrap


@register(DocType.HOUSE_NOTICE)
def _house_notice() -> DocKind:
    from liandu_desk.reports.house_notice import HouseNoticeFacts, house_notice_parts, notice_paragraphs

    def build(facts: Any, texts: Wordings | None) -> list[Part]:
        return house_notice_parts(facts, texts=texts)

    return DocKind(HouseNoticeFacts, build, ("house_notice", "receipt"), notice_paragraphs)


@register(DocType.COMMUNITY_NOTICE)
def _community_notice() -> DocKind:
    from liandu_desk.reports.community_notice import CommunityNoticeFacts, community_notice_parts, notice_paragraphs

    def build(facts: Any, texts: Wordings | None) -> list[Part]:
        return community_notice_parts(facts, texts=texts)

    return DocKind(CommunityNoticeFacts, build, ("community_notice", "receipt"), notice_paragraphs)


@register(DocType.MEDIATION_AGREEMENT)
def _mediation_agreement() -> DocKind:
    from liandu_desk.reports.mediation import MediationFacts, agreement_paragraphs, agreement_parts

    return DocKind(MediationFacts, agreement_parts, ("mediation_agreement",), agreement_paragraphs)


@register(DocType.LIST_PUBLICATION)
def _list_publication() -> DocKind:
    from liandu_desk.reports.red_black import ListPublicationFacts, publication_parts

    return DocKind(ListPublicationFacts, publication_parts, ("list_publication",))


def kind_of(doc_type: DocType) -> DocKind:
    """The registered kind, or KeyError for a type without a builder yet."""
    try:
        return _KINDS[doc_type]()
    except KeyError:
        raise KeyError(f"no builder for {doc_type.value}") from None

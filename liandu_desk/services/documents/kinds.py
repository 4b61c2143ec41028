"""Which facts class and which builder each numbered document type uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from liandu_desk.domain.documents import DocType
from liandu_desk.reports.engine import Part


@dataclass(frozen=True)
class DocKind:
    """A document type's facts dataclass and its parts builder (facts → list of PDF parts)."""

    facts_class: type
    build: Callable[[Any], list[Part]]
    paragraphs: Callable[[Any], list[str]] | None = None


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

    return DocKind(HouseNoticeFacts, house_notice_parts, notice_paragraphs)


@register(DocType.COMMUNITY_NOTICE)
def _community_notice() -> DocKind:
    from liandu_desk.reports.community_notice import CommunityNoticeFacts, community_notice_parts, notice_paragraphs

    return DocKind(CommunityNoticeFacts, community_notice_parts, notice_paragraphs)


@register(DocType.MEDIATION_AGREEMENT)
def _mediation_agreement() -> DocKind:
    from liandu_desk.reports.mediation import MediationFacts, agreement_parts

    return DocKind(MediationFacts, agreement_parts)


@register(DocType.LIST_PUBLICATION)
def _list_publication() -> DocKind:
    from liandu_desk.reports.red_black import ListPublicationFacts, publication_parts

    return DocKind(ListPublicationFacts, publication_parts)


def kind_of(doc_type: DocType) -> DocKind:
    """The registered kind, or KeyError for a type without a builder yet."""
    try:
        return _KINDS[doc_type]()
    except KeyError:
        raise KeyError(f"no builder for {doc_type.value}") from None

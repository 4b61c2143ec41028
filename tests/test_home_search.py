"""The global search: a 2-character name, an ID-number prefix, a document number, the small tables."""

from __future__ import annotations

import datetime as dt

from liandu_desk.domain.communities import Community, PropertyCompany
from liandu_desk.services.home.search import normalize_term, search_all
from tests.home_factories import house_with_case, served_document

D = dt.date


def _seed(db) -> None:
    with db.session_scope() as s:
        house_with_case(s, "王芳", D(2021, 9, 30), address="梅田村8号")
        house_with_case(s, "王芳芳", D(2021, 9, 30), address="九龙村3号")
        house_with_case(s, "李强", D(2021, 9, 30), address="汝河村1号")
        served_document(s, "莲建危改〔2021〕12号", D(2021, 9, 10))
        served_document(s, "莲建危改〔2021〕120号", D(2021, 9, 10))
        company = PropertyCompany(name="丽水安居物业服务有限公司", uscc="91331102MA2E00000X")
        s.add(company)
        s.flush()
        s.add(Community(name="望湖公寓", company_id=company.id))


def test_two_character_name_finds_people_houses_and_cases(db):
    _seed(db)
    with db.session_scope() as s:
        hits = search_all(s, "王芳")
    by_category = {}
    for hit in hits:
        by_category.setdefault(hit.category, []).append(hit)
    assert {h.title for h in by_category["人员"]} == {"王芳", "王芳芳"}
    assert sorted(h.title for h in by_category["房屋"]) == ["王芳 梅田村8号", "王芳芳 九龙村3号"]
    assert len(by_category["整治案件"]) == 2 and all(h.record_kind == "house" for h in by_category["整治案件"])
    assert "李强" not in " ".join(h.title for h in hits)


def test_document_number_with_ascii_brackets_and_small_tables(db):
    _seed(db)
    with db.session_scope() as s:
        exact = search_all(s, "莲建危改[2021]12号")
        prefix = search_all(s, "〔2021〕12")
        community = search_all(s, "望湖")
        company = search_all(s, "91331102")
    assert [(h.category, h.title) for h in exact] == [("文书", "莲建危改〔2021〕12号")]
    assert {h.title for h in prefix} == {"莲建危改〔2021〕12号", "莲建危改〔2021〕120号"}
    assert [(h.category, h.title, h.record_kind) for h in community] == [("小区", "望湖公寓", "community")]
    assert [h.category for h in company] == ["物业企业"]
    assert normalize_term("  莲建 [2021] ") == "莲建 〔2021〕"


def test_empty_and_like_wildcards_find_nothing(db):
    _seed(db)
    with db.session_scope() as s:
        assert search_all(s, "   ") == []
        assert search_all(s, "%") == []
        assert search_all(s, "_") == []


def test_id_number_prefix_finds_the_person_and_their_house(db):
    from liandu_desk.domain.houses import House
    from liandu_desk.domain.registry import Person
    from tests.documents_factories import dangerous_house

    with db.session_scope() as s:
        house_id = dangerous_house(s, owner="周敏", grade="C")
        person = Person(name="周敏", id_number="11010519491231002X")
        s.add(person)
        s.flush()
        s.get(House, house_id).owner_id = person.id
    with db.session_scope() as s:
        hits = search_all(s, "110105")
    kinds = [(h.category, h.record_kind, h.record_id) for h in hits]
    assert kinds == [("人员", "house", house_id), ("房屋", "house", house_id), ("整治案件", "house", house_id)]
    assert hits[0].detail != "11010519491231002X"  # masked

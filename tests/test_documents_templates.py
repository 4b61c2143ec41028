"""Wording as data: templates with named placeholders, checked when saved and when issuing, versioned in the
database; an issued document records the version it used and its PDF carries that version's text."""

from __future__ import annotations

import datetime as dt

import pytest
from documents_factories import dangerous_house, pdf_text
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DatabaseError

from liandu_desk.domain.audit import AuditEntry
from liandu_desk.domain.documents import DocNumber, DocStatus, DocTemplate, Document
from liandu_desk.domain.errors import PermissionDenied, RuleError
from liandu_desk.reports.wording import (
    TEMPLATE_KEYS,
    TemplateError,
    Wording,
    check_slots,
    names_in,
    template_spec,
    tokens,
)
from liandu_desk.services.documents import lifecycle
from liandu_desk.services.documents.house_notices import draft_house_notice
from liandu_desk.services.documents.template_preview import preview_template
from liandu_desk.services.documents.templates import (
    current_wording,
    history,
    list_templates,
    reset_template,
    save_template,
)
from liandu_desk.services.houses.appraisal import AppraisalInput, add_appraisal
from liandu_desk.storage import ClerkRef, Database

D = dt.date
ISSUED_ON = D(2021, 9, 17)
MARKER = "整改完成后请于当日电话告知我局并报告{属地}，并于{报送天数}日内报送解危证明。联系电话：{联系电话}。"


def _text(data: bytes) -> str:
    return pdf_text(data).replace("\n", "").replace(" ", "")


def _issue(session, house_id: int) -> int:
    draft = draft_house_notice(session, house_id, "测试员", ISSUED_ON)
    lifecycle.issue(session, draft.id, ISSUED_ON, "测试员")
    return draft.id


def _edited(key: str, **changes: str) -> dict[str, str]:
    return {**template_spec(key).defaults(), **changes}


# -- syntax -------------------------------------------------------------------------------------------------


def test_placeholder_syntax() -> None:
    assert names_in("根据{法律依据}，现责令你{整改要求}") == ["法律依据", "整改要求"]
    assert tokens("{{字面}}") == [("text", "{"), ("text", "字面"), ("text", "}")]
    for broken in ("根据{法律依据，现", "根据法律依据}", "{"):
        with pytest.raises(TemplateError, match="不成对的花括号"):
            tokens(broken)


def test_every_shipped_template_is_valid_and_its_sample_fills_every_placeholder(db: Database) -> None:
    """Each section, given every placeholder it may use, is filled from the sample facts without a gap (so the
    value functions really provide what the templates declare)."""
    with db.session_scope() as session:
        for key in TEMPLATE_KEYS:
            spec = template_spec(key)
            assert check_slots(spec, spec.defaults()) == [], key
            assert preview_template(session, key, spec.defaults()).problems == (), key
            for slot in spec.slots:
                if slot.items:
                    continue
                every = "".join("{" + name + "}" for name in spec.allowed(slot.key))
                result = preview_template(session, key, {**spec.defaults(), slot.key: slot.default + every})
                unfilled = [p for p in result.problems if "没有取值" in p and "{防灾措施结论}" not in p]
                assert unfilled == [], (key, slot.key, unfilled)  # (the urban sample has no 防灾措施 conclusion)


# -- refused before saving ----------------------------------------------------------------------------------


def test_unknown_placeholder_is_refused_when_saving_naming_it(db: Database) -> None:
    slots = _edited("house_notice", 鉴定事实="{户主名}：你的房屋危险性等级为{危险等级}级。")
    with pytest.raises(TemplateError, match=r"未知的占位符\{户主名\}") as caught, db.session_scope() as session:
        save_template(session, "house_notice", slots)
    assert "{户主姓名}" in caught.value.message  # it lists what the section may use
    with db.session_scope() as session:
        assert session.scalar(select(func.count()).select_from(DocTemplate)) == 0


@pytest.mark.parametrize(
    ("slot", "text", "reason"),
    [
        ("整改要求_观察使用", "立即停止使用该房屋并撤离人员，于{整改期限}前整改。", "不得含有“撤离”"),
        ("整改要求_整体拆除", "于{整改期限}前将房屋整体拆除（{整治措施}）。", "必须含有“停止使用”"),
        ("救济权利", "如不服本通知，可以在六十日内申请行政复议，六个月内提起行政诉讼。", r"必须保留占位符\{复议机关\}"),
        ("责令", "根据有关规定，现责令你{整改要求}", r"必须保留占位符\{法律依据\}"),
        ("标题", "  ", "不能为空"),
    ],
)
def test_template_rules_are_refused_when_saving(db: Database, slot: str, text: str, reason: str) -> None:
    with pytest.raises(TemplateError, match=reason), db.session_scope() as session:
        save_template(session, "house_notice", _edited("house_notice", **{slot: text}))


def test_list_sections_keep_their_count(db: Database) -> None:
    with pytest.raises(TemplateError, match="应为3项"), db.session_scope() as session:
        save_template(session, "list_publication", _edited("list_publication", 表头="序号、名称"))


def test_only_an_administrator_edits_templates(db: Database) -> None:
    reviewer = Database(db.url.render_as_string(hide_password=False), clerk=ClerkRef(1, "审核甲", "x", "审核"))
    with pytest.raises(PermissionDenied, match="修改文书模板"), reviewer.session_scope() as session:
        save_template(session, "house_notice", _edited("house_notice", 标题="危房整改通知"))
    reviewer.dispose()


# -- refused before issuing ---------------------------------------------------------------------------------


def test_missing_value_is_refused_before_issuing_naming_the_placeholder(db: Database) -> None:
    fact = "经鉴定（鉴定报告编号：{鉴定报告编号}），你位于{房屋地址}的房屋危险性等级为{危险等级}级。"
    with db.session_scope() as session:
        save_template(session, "house_notice", _edited("house_notice", 鉴定事实=fact))
        house_id = dangerous_house(session)
        add_appraisal(session, house_id, AppraisalInput(D(2021, 9, 1), "D", "鉴定所", "", "整体拆除"))  # no number
        draft = draft_house_notice(session, house_id, "测试员", ISSUED_ON)
        shown = lifecycle.preview_document(session, draft.id, ISSUED_ON)
    assert any("{鉴定报告编号}" in note and "签发时将被拒绝" in note for note in shown.notes)
    assert "【缺少：{鉴定报告编号}】" in _text(shown.pdf)
    with pytest.raises(TemplateError, match=r"占位符\{鉴定报告编号\}.*没有取值") as caught, db.session_scope() as s:
        lifecycle.issue(s, draft.id, ISSUED_ON, "测试员")
    assert "不能签发" in caught.value.message
    with db.session_scope() as session:  # nothing was issued and no number was taken
        assert session.get(Document, draft.id).status == DocStatus.DRAFT
        assert session.scalar(select(func.count()).select_from(DocNumber)) == 0


def test_a_stored_version_with_an_unknown_placeholder_is_refused_at_issue(db: Database) -> None:
    """A version saved by an older program could name a placeholder this one no longer has."""
    with db.session_scope() as session:
        house_id = dangerous_house(session)
        draft = draft_house_notice(session, house_id, "测试员", ISSUED_ON)
        bad = _edited("house_notice", 标题="危房整改通知书{旧占位符}")
        session.add(DocTemplate(template_key="house_notice", revision=1, slots=bad, origin="修改", note=""))
    with pytest.raises(TemplateError, match=r"未知的占位符\{旧占位符\}"), db.session_scope() as session:
        lifecycle.issue(session, draft.id, ISSUED_ON, "测试员")


# -- versions -----------------------------------------------------------------------------------------------


def test_edit_makes_a_version_the_issued_notice_records_and_prints(db: Database) -> None:
    with db.session_scope() as session:
        first = _issue(session, dangerous_house(session, "王一"))
    with db.session_scope() as session:  # the first use recorded the shipped default as revision 1
        (default,) = history(session, "house_notice")
        assert (default.revision, default.origin) == (1, "默认")
        row = session.get(Document, first)
        assert row.template_version_id == default.id and row.receipt_template_version_id is not None
        edited = save_template(session, "house_notice", _edited("house_notice", 报告与后果=MARKER), "测试修改", 1)
    assert (edited.revision, edited.origin, edited.note) == (2, "修改", "测试修改")
    with db.session_scope() as session:
        second = _issue(session, dangerous_house(session, "王二", address="下河村37号"))
        assert session.get(Document, second).template_version_id == edited.id
        assert session.get(Document, first).template_version_id == default.id
        new_pdf, old_pdf = lifecycle.stored_pdf(session, second), lifecycle.stored_pdf(session, first)
        assert "请于当日电话告知我局" in "".join(session.get(Document, second).text)
        audited = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.table_name == "doc_template")
        )
    assert "整改完成后请于当日电话告知我局并报告碧湖镇" in _text(new_pdf)
    assert "电话告知" not in _text(old_pdf) and "整改完成后请报告碧湖镇和我局" in _text(old_pdf)
    assert audited == 3  # the notice's and the receipt's defaults at first use, then the edit


def test_reset_restores_the_default_as_a_new_version(db: Database) -> None:
    with db.session_scope() as session:
        save_template(session, "house_notice", _edited("house_notice", 报告与后果=MARKER))
        reset = reset_template(session, "house_notice")
        assert (reset.revision, reset.origin) == (2, "恢复默认")
        assert reset.slots == template_spec("house_notice").defaults()
        assert [v.revision for v in history(session, "house_notice")] == [2, 1]  # the edit is kept
        info = next(t for t in list_templates(session) if t.key == "house_notice")
        assert not info.differs_from_shipped and info.version_text == "第2版（恢复默认）"
        issued = _issue(session, dangerous_house(session))
        assert session.get(Document, issued).template_version_id == reset.id
        assert "整改完成后请报告碧湖镇和我局" in _text(lifecycle.stored_pdf(session, issued))
    with pytest.raises(RuleError, match="已是随程序发布的默认文本"), db.session_scope() as session:
        reset_template(session, "house_notice")


def test_saving_unchanged_or_over_a_newer_version_is_refused(db: Database) -> None:
    with pytest.raises(RuleError, match="没有变化"), db.session_scope() as session:
        save_template(session, "house_notice", template_spec("house_notice").defaults())
    with db.session_scope() as session:
        save_template(session, "house_notice", _edited("house_notice", 报告与后果=MARKER), base_revision=0)
    with pytest.raises(RuleError, match="已被他人改为第1版"), db.session_scope() as session:
        save_template(session, "house_notice", _edited("house_notice", 标题="危房整改通知"), base_revision=0)


def test_versions_and_the_issued_reference_never_change(db: Database) -> None:
    with db.session_scope() as session:
        issued = _issue(session, dangerous_house(session))
        version_id = session.get(Document, issued).template_version_id
    for statement in (
        update(DocTemplate).where(DocTemplate.id == version_id).values(note="改"),
        text("DELETE FROM doc_template"),
        update(Document).where(Document.id == issued).values(template_version_id=None),
    ):
        with pytest.raises(DatabaseError), db.engine.begin() as connection:
            connection.execute(statement)


@pytest.mark.parametrize(
    ("key", "slot", "edited", "shown"),
    [
        ("community_notice", "整改要求", "请你单位于{整改期限}前全部整改到位并书面报告。", "请你单位于"),
        ("mediation_record", "签名栏", "申请人、被申请人、调解员", "被申请人（签名）"),
        ("mediation_agreement", "生效条款", "本协议自双方签字之日起生效。", "本协议自双方签字之日起生效"),
        ("list_publication", "有关要求", "请黑榜小区限期整改。", "请黑榜小区限期整改"),
        ("receipt", "栏目_见证人", "见证人签字", "见证人签字"),
        ("duban", "导语", "截至{截至日期}共{事项数}项待办。", "截至2021年9月17日共2项待办"),
        ("summary", "导语", "{期间}，我局扎实推进各项工作。", "2021年上半年，我局扎实推进各项工作"),
    ],
)
def test_every_document_type_is_worded_by_its_template(db, key, slot, edited, shown) -> None:
    with db.session_scope() as session:
        result = preview_template(session, key, _edited(key, **{slot: edited}))
    assert result.problems == ()
    assert shown in _text(result.pdf)


def test_current_wording_falls_back_to_the_shipped_default(db: Database) -> None:
    with db.session_scope() as session:
        wording = current_wording(session, "receipt")
    assert isinstance(wording, Wording) and wording.revision == 0 and wording.version_id is None
    assert wording.fill("落款", {"送达机关": "莲都区建设局"}) == "送达机关：莲都区建设局（盖章）"


def test_strict_wording_names_the_missing_value() -> None:
    wording = Wording(template_spec("receipt"), template_spec("receipt").defaults(), strict=True)
    with pytest.raises(TemplateError, match=r"占位符\{送达机关\}（发文机关名称"):
        wording.fill("落款", {})


def test_check_sql_ran_on_this_backend(db: Database) -> None:
    """The version rule is held by the database on either backend (a trigger)."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            names = {r[0] for r in connection.execute(text("SELECT name FROM sqlite_master WHERE type='trigger'"))}
        else:
            names = {r[0] for r in connection.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"))}
    assert "document_template_frozen" in names

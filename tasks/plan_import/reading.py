"""Reading an uploaded plan workbook (Annex 1 layout) into a draft: every check before a write.

The file checks of tasks.imports.reading come first (size, an .xls or an encrypted workbook, a
PDF or text, a zip bomb). Then each sheet is recognised by its header row, not its name (title
rows may stand above it):

- 任务分工 (required): 主要任务 | 主要内容 | 责任单位 | 备注 (备注 optional; columns after them,
  such as the annual workbook's quarters, are ignored). The 主要任务 cell names the section
  (“（一）强化前沿基础理论研究”, or “四、保障措施（一）加强组织领导” where a part begins; a row
  with only “三、重点任务” starts a part); a blank or merged cell continues the section above.
  A 主要内容 numbered “1.” / “1、” starts an item: a row without units is the item's heading
  (the unnumbered rows below are its tasks), a row with units is the item and its one task.
  责任单位 lists the units separated by 、 ， , ; ； (the first the lead, the others co).
- 示范工程 (optional, see sheets): 序号 | 领域 | 项目名称 | 依托单位 | 建设周期 | 责任单位.
- 目标指标 (optional, see sheets): 指标 | 计量单位 | 所属目标 | one column per year.

Every problem is listed with its sheet, row and column; any problem refuses the whole file.
"""

import re
from typing import Any

from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from tasks.imports.reading import FileRefusedError, open_workbook, text_of
from tasks.plan_import.drafts import (
    CN_DIGITS,
    ITEM,
    NOTE_MAX,
    NUMBER,
    PART,
    TASK_HEADERS,
    TITLE_MAX,
    UNIT_MAX,
    YEARS,
    ItemDraft,
    PlanDraft,
    PlanFileRefusedError,
    PlanProblem,
    SectionDraft,
    TaskDraft,
    split_units,
)
from tasks.plan_import.sheets import read_demos, read_indicators, recognise


def title_above(ws: Any, header_row: int) -> list[str]:
    texts = []
    for values in ws.iter_rows(min_row=1, max_row=header_row - 1, values_only=True):
        texts += [text_of(v) for v in values if text_of(v)]
    return texts


def plan_title(texts: list[str]) -> tuple[str, int | None, int | None]:
    """The plan's name and years as the title rows tell them (“…实施方案（2024-2026年）”)."""
    name = ""
    start = end = None
    for text in texts:
        m = YEARS.search(text)
        if m and start is None:
            start, end = int(m.group(1)), int(m.group(2))
        if not name and "方案" in text:
            name = re.sub(r"^附件\s*\d*\s*", "", text).strip()
            name = re.sub(r"(主要)?任务分工.*$", "", name).strip()
    if start is not None and end is not None and end < start:
        start = end = None
    return name[:255], start, end


def cn_number(n: int) -> str:
    if n <= 10:
        return CN_DIGITS[n - 1]
    tens, ones = divmod(n, 10)
    return f"{CN_DIGITS[tens - 1] if tens > 1 else ''}十{CN_DIGITS[ones - 1] if ones else ''}"


def cn_value(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20 (the part and section numbers of a plan)."""
    digits = {c: i for i, c in enumerate(CN_DIGITS, start=1)}
    if not text or any(c not in digits for c in text):
        return None
    if "十" not in text:
        return digits[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)


def item_title(rest: str) -> str:
    """An item's title from its numbered text: up to the first 。；， (as “智能语音。重点…”)."""
    head = re.split(r"[。；;，,]", rest, maxsplit=1)[0].strip()
    return head[:40] + ("…" if len(head) > 40 else "")


class TaskSheetReader:
    """Reads the 任务分工 sheet into sections, items and tasks, collecting problems."""

    def __init__(self, ws: Any, header_row: int, columns: dict[str, int]) -> None:
        self.ws = ws
        self.header_row = header_row
        self.columns = columns
        self.problems: list[PlanProblem] = []
        self.sections: list[SectionDraft] = []
        self.part = ""
        self.section: SectionDraft | None = None
        self.item: ItemDraft | None = None
        self.label = ""

    def problem(self, message: str, row: int, key: str = "") -> None:
        column = get_column_letter(self.columns[key]) if key in self.columns else ""
        header = TASK_HEADERS.get(key, "") if key else ""
        self.problems.append(PlanProblem(message, self.ws.title, row, column, header))

    def start_section(self, label: str, row: int) -> None:
        m = PART.match(label)
        if m:
            self.part = m.group("part").strip()
            label = label[m.end() :].strip()
        if not label:  # a part's own row: its sections follow
            self.section = self.item = None
            return
        n = NUMBER.match(label)
        in_part = [s for s in self.sections if s.part == (self.part or "主要任务")]
        number = (
            n.group("number").replace("(", "（").replace(")", "）")
            if n
            else f"（{cn_number(len(in_part) + 1)}）"
        )
        title = label[n.end() :].strip() if n else label
        if len(title) > TITLE_MAX:
            self.problem(
                f"任务板块名称不能超过 {TITLE_MAX} 字，现为 {len(title)} 字", row, "section"
            )
        self.section = SectionDraft(self.part or "主要任务", number, title[:TITLE_MAX], row=row)
        self.sections.append(self.section)
        self.item = None

    def read(self) -> list[SectionDraft]:
        c = self.columns
        width = max(c.values())
        for n, values in enumerate(
            self.ws.iter_rows(min_row=self.header_row + 1, max_col=width, values_only=True),
            start=self.header_row + 1,
        ):
            cell = {k: text_of(values[i - 1]) if i <= len(values) else "" for k, i in c.items()}
            label, content, units_text = cell["section"], cell["content"], cell["units"]
            note = cell.get("note", "")
            label = re.sub(r"\s+", "", label)
            if label and label != self.label:  # the same label on every row: one section
                self.start_section(label, n)
                self.label = label
            if not content and not units_text and not note:
                continue  # a blank row, a part's row, the second header row
            if self.section is None:
                self.problem("本行之前没有任务板块（主要任务），无法确定所属板块", n, "section")
                continue
            self.read_row(n, content, units_text, note)
        return self.sections

    def read_row(self, n: int, content: str, units_text: str, note: str) -> None:
        assert self.section is not None
        m = ITEM.match(content)
        if m and not units_text and len(content) <= TITLE_MAX and "。" not in content.rstrip("。"):
            self.new_item(int(m.group("number")), m.group("rest").strip().rstrip("。"), n)
            return
        if not content:
            self.problem("主要内容为空", n, "content")
            return
        units = split_units(units_text)
        if not units:
            self.problem("责任单位为空：每项任务至少有一个牵头单位", n, "units")
        for name in units:
            if len(name) > UNIT_MAX:
                self.problem(f"单位名称“{name[:20]}…”超过 {UNIT_MAX} 字", n, "units")
        twice = sorted({u for u in units if units.count(u) > 1})
        if twice:
            self.problem(f"单位“{'、'.join(twice)}”在同一任务中重复列出", n, "units")
        if len(note) > NOTE_MAX:
            self.problem(f"备注不能超过 {NOTE_MAX} 字，现为 {len(note)} 字", n, "note")
        task = TaskDraft(n, content, units, note[:NOTE_MAX])
        if m:  # a numbered task is its own item
            self.new_item(int(m.group("number")), item_title(m.group("rest")), n)
            assert self.item is not None
            self.item.tasks.append(task)
            self.item = None  # unnumbered rows below it belong to the section
        elif self.item is not None:
            self.item.tasks.append(task)
        else:
            self.section.tasks.append(task)

    def new_item(self, number: int, title: str, row: int) -> None:
        assert self.section is not None
        if any(i.number == number for i in self.section.items):
            self.problem(f"条目序号 {number} 在板块“{self.section.label}”中重复", row, "content")
            number = max(i.number for i in self.section.items) + 1
        self.item = ItemDraft(number, title[:TITLE_MAX] or f"条目{number}")
        self.section.items.append(self.item)


def number_tasks(sections: list[SectionDraft]) -> None:
    """Codes as the seed plan writes them: section 3.1 (part 三, section （一）), task 3.1.1 for
    item 1's only task, 3.5.1-2 for its second, 4.1-1 for a task outside items; seq in row order."""
    parts: dict[str, str] = {}
    for s in sections:
        m = re.match(r"^([一二三四五六七八九十]{1,3})、", s.part)
        value = cn_value(m.group(1)) if m else None
        prefix = parts.setdefault(s.part, f"{value}." if value else "")
        k = cn_value(s.number.strip("（）")) or sections.index(s) + 1
        s.code = f"{prefix}{k}"
    seen: set[str] = set()
    for s in sections:  # two sections with the same number: the later one gets a suffix
        base, i = s.code, 1
        while s.code in seen:
            i += 1
            s.code = f"{base}#{i}"
        seen.add(s.code)
    for s in sections:
        for it in s.items:
            for k, t in enumerate(it.tasks, start=1):
                t.code = f"{s.code}.{it.number}" + (f"-{k}" if len(it.tasks) > 1 else "")
        for k, t in enumerate(s.tasks, start=1):
            t.code = f"{s.code}-{k}"
    ordered = sorted((t for s in sections for t in s.all_tasks()), key=lambda t: t.row)
    for seq, t in enumerate(ordered, start=1):
        t.seq = seq


def read_plan_workbook(data: bytes) -> PlanDraft:
    """The draft of an uploaded workbook, or PlanFileRefusedError listing every problem."""

    try:
        wb = open_workbook(data)
    except FileRefusedError as refused:
        raise PlanFileRefusedError([PlanProblem(str(p)) for p in refused.problems]) from refused
    draft = PlanDraft()
    problems: list[PlanProblem] = []
    found = recognise(wb)
    if "tasks" not in found:
        raise PlanFileRefusedError(
            [
                PlanProblem(
                    "找不到任务分工表：应有一个工作表的表头为"
                    "“主要任务 | 主要内容 | 责任单位 | 备注”（表头上方可以有标题行）。"
                    "请按方案附件1的格式整理后上传。"
                )
            ]
        )
    ws, header_row, columns = found["tasks"]
    draft.sheets["tasks"] = ws.title
    draft.title, draft.start_year, draft.end_year = plan_title(title_above(ws, header_row))
    reader = TaskSheetReader(ws, header_row, columns)
    draft.sections = reader.read()
    problems += reader.problems
    for section in draft.sections:
        if not section.all_tasks():
            where = (ws.title, section.row, get_column_letter(columns["section"]), "主要任务")
            problems.append(PlanProblem(f"任务板块“{section.label}”下没有任务", *where))
    if not any(s.all_tasks() for s in draft.sections) and not reader.problems:
        problems.append(PlanProblem("任务分工表中没有任务行", ws.title))
    number_tasks(draft.sections)
    if "demos" in found:
        ws, header_row, columns = found["demos"]
        draft.sheets["demos"] = ws.title
        draft.demos, more = read_demos(ws, header_row, columns)
        problems += more
    if "indicators" in found:
        ws, header_row, columns = found["indicators"]
        draft.sheets["indicators"] = ws.title
        draft.indicators, more = read_indicators(ws, header_row, columns)
        problems += more
    if problems:
        raise PlanFileRefusedError(problems)
    return draft

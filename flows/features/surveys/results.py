"""Survey results: counts per option, rating averages, the Net Promoter Score, CSV export.

The database counts (``GROUP BY`` over the answers, see :mod:`flows.features.surveys.models`);
the survey definition gives the questions their order, kinds and option titles.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TextIO

from sqlmodel import Session

from bot.config import mask
from flows.features.surveys import models as store
from flows.features.surveys.definitions import AnswerValue, Question, SurveyDef
from flows.features.surveys.generated import answer_keys
from flows.features.surveys.models import SurveyAnswer


@dataclass(frozen=True)
class QuestionResult:
    """The results of one question: how many responses ``answered`` and ``skipped`` it, and more.

    Attributes:
        counts: Answers per option (choice: option id; rating and NPS: "1".."5" / "0".."10";
            yes/no: "yes", "no"), every possible value listed, in order. Empty for text.
        average: The mean rating or NPS score, when there are answers.
        nps: The Net Promoter Score (NPS questions with answers only).
    """

    question: Question
    answered: int = 0
    skipped: int = 0
    counts: Mapping[str, int] = field(default_factory=dict)
    average: float | None = None
    nps: float | None = None


@dataclass(frozen=True)
class SurveyResults:
    """All results of a survey: the response count and one entry per question."""

    survey: SurveyDef
    responses: int
    questions: tuple[QuestionResult, ...]


def net_promoter_score(counts: Mapping[int, int]) -> float | None:
    """NPS from the count of each score 0-10: %promoters (9-10) − %detractors (0-6).

    Returns:
        A number from -100 to 100 rounded to 0.1, or ``None`` without answers.
    """
    total = sum(counts.values())
    if not total:
        return None
    promoters = sum(n for score, n in counts.items() if score >= 9)
    detractors = sum(n for score, n in counts.items() if score <= 6)
    return round(100.0 * (promoters - detractors) / total, 1)


def survey_results(session: Session, survey: SurveyDef) -> SurveyResults:
    """The results of ``survey`` (answers to questions no longer defined are ignored)."""
    grouped = {q.id: Counter[str]() for q in survey.questions}
    for qid, value_int, value_text, count in store.answer_counts(session, survey.name):
        if qid in grouped:
            value = _stored(survey.question(qid).kind, value_int, value_text)
            key = ("yes" if value else "no") if isinstance(value, bool) else str(value)
            grouped[qid][key] += count
    answered_counts = store.question_counts(session, survey.name, skipped=False)
    skipped_counts = store.question_counts(session, survey.name, skipped=True)
    results = []
    for question in survey.questions:
        counts = {key: grouped[question.id][key] for key in answer_keys(question)}
        answered = answered_counts.get(question.id, 0)
        skipped = skipped_counts.get(question.id, 0)
        average = nps = None
        if question.kind in ("rating", "nps") and answered:
            average = round(sum(int(k) * n for k, n in counts.items()) / answered, 2)
        if question.kind == "nps":
            nps = net_promoter_score({int(k): n for k, n in counts.items()})
        results.append(QuestionResult(question, answered, skipped, counts, average, nps))
    return SurveyResults(survey, store.response_count(session, survey.name), tuple(results))


def format_answer(question: Question, value: AnswerValue | None) -> str:
    """An answer as a person reads it: the option's title, "yes"/"no", the number or the text."""
    if value is None:
        return ""
    if question.kind == "yes_no":
        return "yes" if value else "no"
    if question.kind == "choice":
        option = question.option(str(value))
        return option.title if option else str(value)
    return str(value)


def _stored(kind: str, value_int: int | None, value_text: str | None) -> AnswerValue | None:
    """A stored answer's value back as the survey compares it (see ``record_response``)."""
    if kind == "yes_no":
        return bool(value_int)
    return value_int if kind in ("rating", "nps") else value_text


def answer_text(question: Question, answer: SurveyAnswer | None) -> str:
    """A stored answer as a person reads it (``""`` when skipped or missing)."""
    if answer is None or answer.skipped:
        return ""
    return format_answer(question, _stored(question.kind, answer.value_int, answer.value_text))


def write_csv(
    session: Session, survey: SurveyDef, out: TextIO, *, full_numbers: bool = False
) -> int:
    """Write to ``out`` (opened with ``newline=""``) one CSV row per response.

    The columns are id, time, contact (masked as ``…1234`` unless ``full_numbers``), source,
    ref, then each question.

    Returns:
        The number of responses written.
    """
    writer = csv.writer(out)
    writer.writerow(
        ["response_id", "completed_at", "contact", "source", "ref"]
        + [q.id for q in survey.questions]
    )
    rows = store.responses(session, survey.name)
    for response, answers in rows:
        contact = response.wa_id if full_numbers else mask(response.wa_id)
        writer.writerow(
            [
                response.id,
                response.completed_at.isoformat(),
                contact,
                response.source or "",
                response.ref or "",
            ]
            + [answer_text(q, answers.get(q.id)) for q in survey.questions]
        )
    return len(rows)


def format_results(results: SurveyResults) -> str:
    """Render results as plain text for the terminal."""
    lines = [f"{results.survey.title} ({results.survey.name}): {results.responses} responses"]
    for item in results.questions:
        q = item.question
        lines.append(f"\n{q.id} [{q.kind}] {q.text.splitlines()[0]}")
        lines.append(f"  answered {item.answered}, skipped {item.skipped}")
        for key, count in item.counts.items():
            share = f"{100.0 * count / item.answered:.0f}%" if item.answered else "-"
            option = q.option(key)  # only choice questions have options
            label = option.title if option else key
            lines.append(f"  {label:<24} {count:>5}  {share:>4}")
        if item.average is not None:
            lines.append(f"  average {item.average:.2f}")
        if item.nps is not None:
            lines.append(f"  NPS {item.nps:+.1f}")
    return "\n".join(lines)


__all__ = [
    "QuestionResult",
    "SurveyResults",
    "answer_text",
    "format_answer",
    "format_results",
    "net_promoter_score",
    "survey_results",
    "write_csv",
]

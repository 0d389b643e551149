"""The compiled course as plain data, for CE approvers and QA automation."""

from __future__ import annotations

from scormbuild.render.course_json import RenderedCourse
from scormbuild.source.model import Course, Question

READING_WORDS_PER_HOUR = 10_000  # NASW's rule for reading-based CE material
MINUTES_PER_QUESTION = 1.0
MINUTES_PER_SURVEY_ITEM = 0.5


def _question(q: Question) -> dict:
    choices = q.choices if q.type != "matching" else []
    return {
        "id": q.id, "type": q.type, "prompt": q.prompt, "objective": q.objective,
        "choices": [{"id": c.id, "text": c.text} for c in choices],
        "sources": [{"id": c.id, "text": c.text} for c in q.sources],
        "targets": [{"id": c.id, "text": c.text} for c in q.targets],
        "correct": list(q.correct),
        "rationale": q.rationale,
    }


def estimate_minutes(words: int, questions: int, survey_items: int) -> float:
    reading = words / READING_WORDS_PER_HOUR * 60
    return round(reading + questions * MINUTES_PER_QUESTION
                 + survey_items * MINUTES_PER_SURVEY_ITEM, 1)


def outline(course: Course, rendered: RenderedCourse) -> dict:
    words = rendered.page_words
    modules = []
    for m in course.modules:
        modules.append({
            "id": m.id, "title": m.title, "objectives": list(m.objectives),
            "words": sum(words[p.id] for p in m.pages),
            "pages": [{"id": p.id, "title": p.title, "kind": p.kind,
                       "objectives": list(p.objectives), "words": words[p.id]}
                      for p in m.pages],
            "questions": [_question(q) for q in m.knowledge_check],
        })
    a = course.assessment
    assessment = None
    if a:
        assessment = {"id": a.id, "title": a.title, "passing_score": a.policy.pass_mark,
                      "attempts": a.policy.attempts, "reporting": a.policy.reporting,
                      "questions": [_question(q) for q in a.questions]}
    e = course.evaluation
    evaluation = None
    if e:
        evaluation = {"id": e.id, "title": e.title,
                      "items": [{"id": i.id, "type": i.type, "prompt": i.prompt,
                                 "scale": list(i.scale), "objective": i.objective,
                                 "required": i.required} for i in e.items]}
    total_words = sum(words.values())
    question_count = sum(len(m.knowledge_check) for m in course.modules)
    question_count += len(a.questions) if a else 0
    survey_items = len(e.items) if e else 0
    ce = course.ce
    return {
        "id": course.id, "title": course.title, "version": course.version,
        "language": course.language, "description": course.description,
        "authors": [{"name": x.name, "credentials": x.credentials, "role": x.role}
                    for x in course.authors],
        "ce": None if ce is None else {
            "hours": ce.hours, "format": ce.format, "level": ce.level,
            "credit_type": ce.credit_type, "course_number": ce.course_number,
            "credit_category": ce.credit_category, "release_date": ce.release_date,
            "review_date": ce.review_date,
            "provider": {"name": ce.provider.name, "contact": ce.provider.contact},
            "approvals": [{"body": x.body, "statement": x.statement,
                           "provider_number": x.provider_number, "period": x.period}
                          for x in ce.approvals]},
        "objectives": [{"id": o.id, "text": o.text} for o in course.objectives],
        "modules": modules,
        "assessment": assessment,
        "evaluation": evaluation,
        "references": [{"key": r.key, "cite": r.cite, "text": r.text} for r in course.references],
        "words": total_words,
        "estimated_minutes": estimate_minutes(total_words, question_count, survey_items),
        "estimate_method": {
            "reading_words_per_hour": READING_WORDS_PER_HOUR,
            "minutes_per_question": MINUTES_PER_QUESTION,
            "minutes_per_survey_item": MINUTES_PER_SURVEY_ITEM,
            "questions": question_count,
            "survey_items": survey_items,
        },
    }

"""Activity IRIs and definitions, checked against the sample course's own source files.

Expected values are read from the YAML/Markdown in tests/fixtures/courses/sample (not from the
model under test), so a loader or builder that drops or renames something is caught.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from scormbuild.build import compile_course
from scormbuild.problems import ProblemsFound
from scormbuild.xapi.activities import CourseActivities, course_activities
from scormbuild.xapi.checks import check_activity
from tests.helpers import SAMPLE

ADL = "http://adlnet.gov/expapi/activities/"


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _front_matter(page: Path) -> dict[str, Any]:
    _, front, _ = page.read_text(encoding="utf-8").split("---", 2)
    data: dict[str, Any] = yaml.safe_load(front)
    return data


class Source:
    """The sample course as its author wrote it."""

    def __init__(self, root: Path):
        self.course = _yaml(root / "course.yaml")
        folders = [root / "modules" / name for name in self.course["modules"]]
        self.modules = [(_yaml(folder / "module.yaml"), folder) for folder in folders]
        self.posttest = _yaml(root / "posttest.yaml")
        self.evaluation = _yaml(root / "evaluation.yaml")

    def expected_iris(self) -> list[str]:
        base = self.course["xapi_base"].rstrip("/")
        iris = [base]
        for module, folder in self.modules:
            iris.append(f"{base}/module/{module['id']}")
            iris += [f"{base}/page/{_front_matter(folder / page)['id']}"
                     for page in module["pages"]]
            iris += [f"{base}/question/{q['id']}" for q in module.get("knowledge_check", [])]
        iris.append(f"{base}/assessment/{self.posttest['id']}")
        iris += [f"{base}/question/{q['id']}" for q in self.posttest["questions"]]
        evaluation = self.evaluation["id"]
        iris.append(f"{base}/evaluation/{evaluation}")
        iris += [f"{base}/evaluation/{evaluation}/item/{i['id']}" for i in self.evaluation["items"]]
        return iris

    def questions(self) -> list[dict[str, Any]]:
        kc = [q for module, _ in self.modules for q in module.get("knowledge_check", [])]
        return kc + list(self.posttest["questions"])


@pytest.fixture(scope="module")
def source() -> Source:
    return Source(SAMPLE)


@pytest.fixture(scope="module")
def activities() -> CourseActivities:
    compiled = compile_course(SAMPLE)
    return course_activities(compiled.course, compiled.rendered)


def _definition(activities: CourseActivities, iri: str) -> dict[str, Any]:
    return activities.by_iri(iri).definition


def test_iris_are_the_base_plus_the_source_ids_in_course_order(activities, source):
    assert [a.iri for a in activities] == source.expected_iris()


def test_every_definition_is_in_the_course_language_with_the_right_type(activities, source):
    lang = source.course["language"]
    types = {"course": "course", "module": "module", "page": "lesson",
             "assessment": "assessment", "question": "cmi.interaction",
             "evaluation": None, "evaluation-item": "cmi.interaction"}
    for a in activities:
        d = a.definition
        assert list(d["name"]) == [lang] and d["name"][lang], a.iri
        assert list(d["description"]) == [lang] and d["description"][lang], a.iri
        if types[a.kind]:
            assert d["type"] == ADL + types[a.kind], a.iri
    course = activities.root.definition
    assert course["name"][lang] == source.course["title"]
    assert course["description"][lang] == source.course["description"]
    # The evaluation is a survey, kept out of the assessment (score) reports.
    evaluation = _definition(
        activities, f"{source.course['xapi_base']}/evaluation/{source.evaluation['id']}")
    assert evaluation["type"] == "http://id.tincanapi.com/activitytype/survey"


def test_markdown_in_prompts_becomes_plain_text(activities, source):
    base = source.course["xapi_base"]
    post_test = _definition(activities, f"{base}/assessment/{source.posttest['id']}")
    # posttest.yaml says "You need **80%** to pass."
    assert post_test["description"]["en-US"] == "Answer every question. You need 80% to pass."


def test_questions_carry_interaction_type_components_and_correct_pattern(activities, source):
    base = source.course["xapi_base"]
    kinds = {"single": "choice", "multiple": "choice", "true-false": "true-false",
             "matching": "matching", "sequencing": "sequencing"}
    seen = set()
    for q in source.questions():
        d = _definition(activities, f"{base}/question/{q['id']}")
        seen.add(q["type"])
        assert d["interactionType"] == kinds[q["type"]], q["id"]
        assert d["description"]["en-US"] == q["prompt"]
        correct = q["correct"]
        if q["type"] == "matching":
            pairs = [f"{s}[.]{t}" for s, t in correct.items()]
            assert d["correctResponsesPattern"] == ["[,]".join(pairs)]
            assert [c["id"] for c in d["source"]] == [c["id"] for c in q["sources"]]
            assert [c["id"] for c in d["target"]] == [c["id"] for c in q["targets"]]
            assert [c["description"]["en-US"] for c in d["target"]] == [
                c["text"] for c in q["targets"]]
            assert "choices" not in d
        elif q["type"] == "true-false":
            assert d["correctResponsesPattern"] == ["true" if correct else "false"]
            assert not {"choices", "source", "target", "scale"} & set(d)
        else:
            ids = correct if isinstance(correct, list) else [correct]
            assert d["correctResponsesPattern"] == ["[,]".join(ids)]
            assert [(c["id"], c["description"]["en-US"]) for c in d["choices"]] == [
                (c["id"], c["text"]) for c in q["choices"]]
    assert seen == set(kinds), "the sample course should exercise every question type"


def test_survey_items_are_likert_with_the_scale_or_long_fill_in(activities, source):
    base = source.course["xapi_base"]
    scales = source.evaluation["scales"]
    for item in source.evaluation["items"]:
        d = _definition(activities,
                        f"{base}/evaluation/{source.evaluation['id']}/item/{item['id']}")
        assert "correctResponsesPattern" not in d  # a survey has no right answer
        if item["type"] == "likert":
            labels = scales.get(item["scale"]) if isinstance(item["scale"], str) else item["scale"]
            assert d["interactionType"] == "likert"
            assert [(c["id"], c["description"]["en-US"]) for c in d["scale"]] == [
                (str(n), label) for n, label in enumerate(labels, start=1)]
        else:
            assert d["interactionType"] == "long-fill-in"
            assert not {"choices", "scale", "source", "target"} & set(d)


def test_parents_follow_the_course_structure(activities, source):
    base = source.course["xapi_base"]
    module, _ = source.modules[0]
    first_page = activities.get("page", activities.course.modules[0].pages[0].id)
    assert first_page.parent == f"{base}/module/{module['id']}"
    assert activities.get("question", source.posttest["questions"][0]["id"]).parent == (
        f"{base}/assessment/{source.posttest['id']}")
    assert activities.root.parent is None


def test_every_definition_passes_our_checks(activities):
    problems = {a.iri: check_activity(a.activity) for a in activities}
    assert {iri: p for iri, p in problems.items() if p} == {}


def test_iris_do_not_change_with_version_or_titles(tmp_path, activities):
    copy = shutil.copytree(SAMPLE, tmp_path / "course")
    course_yaml = copy / "course.yaml"
    text = course_yaml.read_text(encoding="utf-8")
    text = text.replace("version: 2.1.0", "version: 3.0.0").replace(
        "title: Sample Course for Tests", "title: A Renamed Course")
    course_yaml.write_text(text, encoding="utf-8")
    compiled = compile_course(copy)
    renamed = course_activities(compiled.course, compiled.rendered)
    assert compiled.course.version == "3.0.0"
    assert renamed.root.definition["name"]["en-US"] == "A Renamed Course"
    assert [a.iri for a in renamed] == [a.iri for a in activities]


def test_a_course_without_xapi_base_gets_a_problem_pointing_at_course_yaml(tmp_path):
    copy = shutil.copytree(SAMPLE, tmp_path / "course")
    course_yaml = copy / "course.yaml"
    lines = course_yaml.read_text(encoding="utf-8").splitlines(keepends=True)
    course_yaml.write_text("".join(ln for ln in lines if not ln.startswith("xapi_base:")),
                           encoding="utf-8")
    compiled = compile_course(copy)
    with pytest.raises(ProblemsFound) as found:
        course_activities(compiled.course, compiled.rendered)
    (problem,) = found.value.problems
    assert Path(problem.path) == course_yaml
    assert "add xapi_base: https://" in problem.message
    assert "course.yaml" in problem.message

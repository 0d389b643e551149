"""What every target shares: the player and assets, stable identifiers, the package name."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod

from scormbuild.problems import Problem
from scormbuild.render.course_json import RenderedCourse
from scormbuild.render.player import render_player
from scormbuild.source.model import Course


def stable_identifier(prefix: str, course_id: str) -> str:
    """An XML-name-safe identifier that depends only on the course id.

    LMSs (Moodle, Totara) drop learners' tracking when identifiers change between
    package versions, so the version must never be part of it.
    """
    return f"{prefix}-{re.sub(r'[^A-Za-z0-9_-]', '-', course_id)}"


class Target(ABC):
    name: str = ""
    tracking: str = ""  # which tracking adapter the player should prefer
    # The player scripts (under templates/player/) that define it, in load order.
    tracker_scripts: tuple[str, ...] = ()

    def __init__(self, course: Course, rendered: RenderedCourse):
        self.course = course
        self.rendered = rendered
        self.notes: list[str] = []  # facts the CLI prints after a build

    def package_name(self) -> str:
        return f"{self.course.id}-{self.course.version}-{self.name}.zip"

    @classmethod
    def player_data(cls, course_data: dict) -> dict:
        """The course data as this standard's player reads it: a standard whose tracker needs
        names of its own (xAPI's verbs and IRIs) adds them here, from its one definition."""
        return course_data

    @classmethod
    def player(cls, course_data: dict) -> dict[str, bytes]:
        """The player files of this standard's package for ``course_data``."""
        return render_player(cls.player_data(course_data), cls.tracking, cls.tracker_scripts)

    def content_files(self) -> dict[str, bytes]:
        """The player with the course inlined, and every asset the pages link to."""
        files = self.player(self.rendered.data)
        for package_path, source in self.rendered.assets.items():
            files[package_path] = source.read_bytes()
        return files

    @classmethod
    def course_problems(cls, course: Course) -> list[Problem]:
        """Limits of this standard on the course source, reported by every command that
        compiles a course (``check`` included), whichever target it builds: the one player
        runs every target, so a course must fit them all."""
        return []

    def check(self) -> list[Problem]:
        """Limits of this standard that the rendered course must respect."""
        return []

    @abstractmethod
    def files(self) -> dict[str, bytes]:
        """Every file of the package, by path inside it."""

"""Generate a large but valid course on the fly (for the benchmark and size tests)."""

from __future__ import annotations

from pathlib import Path

import yaml

PARAGRAPH = (
    "Clinicians meet clients whose relationships take many shapes. This paragraph stands in "
    "for real teaching text, with **emphasis**, a [link](https://example.org) and a list:\n\n"
    "- first point\n- second point\n- third point\n"
)


def write_synthetic_course(root: Path, pages: int, questions: int, modules: int = 10) -> Path:
    """A course with ``pages`` pages and ``questions`` knowledge-check questions."""
    root.mkdir(parents=True, exist_ok=True)
    per_module = max(1, pages // modules)
    q_per_page = max(1, questions // pages)
    folders = []
    made_pages = 0
    for m in range(modules):
        folder = f"m{m:03d}"
        folders.append(folder)
        mdir = root / "modules" / folder
        mdir.mkdir(parents=True, exist_ok=True)
        files, kc = [], []
        count = per_module if m < modules - 1 else pages - made_pages
        for p in range(count):
            pid = f"p{m:03d}-{p:04d}"
            files.append(f"{pid}.md")
            body = "\n".join(f"## Section {s}\n\n{PARAGRAPH}" for s in range(3))
            (mdir / f"{pid}.md").write_text(
                f"---\nid: {pid}\ntitle: Page {pid}\nobjectives: [obj-a]\n---\n{body}\n",
                encoding="utf-8")
            for q in range(q_per_page):
                kc.append({
                    "id": f"q-{pid}-{q}", "type": "single", "objective": "obj-a",
                    "prompt": f"Question {q} about {pid}?",
                    "choices": [{"id": c, "text": f"Choice {c}", "feedback": "Because."}
                                for c in ("a", "b", "c", "d")],
                    "correct": "b", "rationale": "B is right.",
                })
        made_pages += count
        (mdir / "module.yaml").write_text(yaml.safe_dump(
            {"id": folder, "title": f"Module {m}", "pages": files, "knowledge_check": kc},
            sort_keys=False), encoding="utf-8")
    course = {
        "id": "synthetic", "title": "Synthetic course", "version": "1.0.0", "language": "en",
        "description": "Generated for benchmarks.",
        "objectives": [{"id": "obj-a", "text": "Describe the synthetic topic."}],
        "modules": folders,
    }
    (root / "course.yaml").write_text(yaml.safe_dump(course, sort_keys=False), encoding="utf-8")
    return root

"""segment_source keeps the last documents it segmented, keyed by their bytes and the project's
rules: the same source gives the very same segments, any change segments it again."""

from __future__ import annotations

from brochure.core.project import load_project
from brochure.segmentation.documents import segment_source
from conftest import write_project

TOML = 'title = { en = "T" }\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["t.md"]\n'


def test_the_same_bytes_give_the_same_segments_and_a_change_is_seen(tmp_path):
    root = write_project(tmp_path / "p", TOML, {"t.md": "# Title\n\nOne. Two.\n"})
    project = load_project(root)
    first = segment_source(project, project.documents[0])
    assert segment_source(load_project(root), project.documents[0]) is first
    (root / "t.md").write_text("# Title\n\nOne. Three.\n", encoding="utf-8")  # same size
    changed = segment_source(project, project.documents[0])
    assert [s.text for s in changed.segments] == ["Title", "One.", "Three."]
    # the project's rules are part of the key: an added abbreviation joins "One. Three."
    (root / "brochure.toml").write_text(TOML + '[segmentation.abbreviations]\nen = ["One."]\n')
    assert [s.text for s in segment_source(load_project(root), project.documents[0]).segments] == [
        "Title", "One. Three."
    ]  # fmt: skip

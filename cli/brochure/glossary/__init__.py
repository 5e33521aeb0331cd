"""The glossary stage: termbase files, matching terms in text, inflecting and enforcing them.

tsv (the editable files) -> load (built-in + project, merged) -> model.Termbase -> match (find
terms in text) -> morph (inflect) -> enforce (choose and repair MT output); tbx and csvio move
termbases in and out; lint and edit serve the `brochure glossary` commands. Importing this package
is light: pymorphy3 and lxml load only when a stage needs them.
"""

from brochure.glossary.concepts import Concept, Term
from brochure.glossary.enforce import apply_glossary
from brochure.glossary.load import load_termbase
from brochure.glossary.termbase import Termbase

__all__ = ["Concept", "Term", "Termbase", "apply_glossary", "load_termbase"]

"""One module per command; each parses options, loads the project, calls one core function."""

from brochure.commands.add import add
from brochure.commands.align import align
from brochure.commands.build import build
from brochure.commands.check import check
from brochure.commands.glossary import glossary
from brochure.commands.init import init
from brochure.commands.memory import memory
from brochure.commands.models import models
from brochure.commands.preview import preview
from brochure.commands.proof import proof
from brochure.commands.segments import segments
from brochure.commands.serve import serve
from brochure.commands.status import status
from brochure.commands.translate import translate
from brochure.commands.xliff import xliff

ALL = [
    init,
    add,
    build,
    segments,
    translate,
    models,
    memory,
    xliff,
    align,
    status,
    glossary,
    check,
    preview,
    proof,
    serve,
]

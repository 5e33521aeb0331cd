"""One module per command; each parses options, loads the project, calls one core function."""

from brochure.commands.build import build
from brochure.commands.init import init
from brochure.commands.segments import segments

ALL = [init, build, segments]


"""One module per command; each parses options, loads the project, calls one core function.

COMMANDS names each command's module; the `brochure` group (cli.py) imports a command's module
only when that command runs (or when `--help` lists them all), so a command's start-up pays for
its own imports alone.
"""

# command name -> the module defining it (the click command is the module's attribute of that name)
COMMANDS = {
    name: f"brochure.commands.{name}"
    for name in (
        "init",
        "add",
        "build",
        "segments",
        "translate",
        "models",
        "memory",
        "xliff",
        "align",
        "status",
        "glossary",
        "check",
        "preview",
        "proof",
        "serve",
    )
}

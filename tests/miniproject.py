"""The mini project the MT, schema, concurrency and crash tests share: its text and project
file, and a peer's translation memory for it."""

MINI_TEXT = """\
# The workers' programme

The workers of Kazakhstan demand a real increase in wages. Trade unions must be independent.

- file_name and snake_case stay as they are.
- A second item.
"""
MINI_TOML = (
    'name = "mini"\ntitle = { en = "Mini", ru = "Мини", kk = "Шағын" }\n'
    'source_language = "en"\ntarget_languages = ["ru", "kk"]\ndocuments = ["text.md"]\n'
    '\n[mt]\nengine = "argos"\n'
)
# A peer's memory: a fuzzy match for one mini sentence and an exact one for another.
PEER_TMX = """\
<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en"
          srclang="en" datatype="plaintext"/>
  <body>
    <tu><tuv xml:lang="en"><seg>The workers of Kazakhstan demand a real increase in pensions.</seg></tuv>
        <tuv xml:lang="kk"><seg>Қазақстан жұмысшылары зейнетақының нақты өсуін талап етеді.</seg></tuv></tu>
    <tu><tuv xml:lang="en"><seg>Trade unions must be independent.</seg></tuv>
        <tuv xml:lang="kk"><seg>Кәсіподақтар тәуелсіз болуы керек.</seg></tuv></tu>
  </body>
</tmx>
"""

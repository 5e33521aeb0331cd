"""Built-in data shipped in the wheel: layouts/ and glossary/ from the repository's top level."""

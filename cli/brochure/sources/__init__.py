"""Stage 1: reading source files (Markdown, plain text) into a Document; importing DOCX, ODT and
saved web pages into the project's Markdown (`brochure add`)."""

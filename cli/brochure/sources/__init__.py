"""Stage 1: reading source files (Markdown, plain text) into a Document; importing DOCX, ODT,
saved web pages and EPUB books into the project's Markdown (`brochure add`)."""

"""After layout: booklet imposition and PNG previews of the PDFs."""

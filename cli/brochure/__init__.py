"""brochure: offline translation and bilingual-brochure toolkit."""

__version__ = "0.1.0"

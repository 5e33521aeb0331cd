"""Built-in layouts (Jinja2 HTML templates, CSS, fonts), shipped as package data."""

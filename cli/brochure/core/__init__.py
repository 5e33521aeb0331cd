"""The lowest layer: errors, atomic writes, safe XML, the data model, languages, project configuration."""

"""Quality checks of the store: terminology, numbers, tags, Kazakh script and dates."""

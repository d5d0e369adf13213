"""Course content: courses, words, groups, lessons, the file format, imports, audio, search."""

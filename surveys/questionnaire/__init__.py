"""The questionnaire as data and the rules that read it: edition definitions, the
condition language, the branching engine, consistency warnings and form fields.

Pure Python (no database) except ``loading``, which stores editions."""

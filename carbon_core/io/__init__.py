"""Readers and writers of files: what comes in (:mod:`carbon_core.io.codecarbon`, a CodeCarbon
``emissions.csv``) and what goes out (:mod:`carbon_core.io.export`: JSON, CSV, a model-card block).

They compute nothing of their own (the equations stay in the modules named for them) and speak of files,
fields and lines, never of a user interface: wording for a dashboard or an upload belongs to its caller.
"""

"""The kernel: what every other room imports, and which imports nothing of ours.

The exception tree (`errors`), the records passed between steps (`records`), the settings
object (`settings`), Arabic normalisation and sentence spans (`arabic`), the four topic ids
(`topics`), local days in the digest time zone (`days`) and atomic file writes (`files`). Keeping them here, below everything, is what lets the rooms above form one line
of dependencies with no cycles.
"""

"""Marsad (مرصد): a daily media-monitoring pipeline for Arabic coverage of the AI/chip story.

The package holds what ties the parts together: settings, the exception tree, the record
types passed between steps, the plain-function pipeline and the CLI. The parts themselves
live in the top-level packages `extractors/`, `warehouse/`, `dashboards/` and `flows/`.
"""

__version__ = "0.1.0"

"""The household and resident register (实有人口/房屋): importing it from the county's own files.

The layout is in docs/register-format.md. A file is checked whole and refused whole, with every
problem listed by row and column; re-importing the same file changes nothing; a changed row
updates that household or person, found by the household number and by the keyed hash of the ID
number (never by name); nothing is deleted (a move out of the county is an explicit action).
"""

from sanzhang.core.tables import ImportRefused, Problem

from .run import STAGES, RegisterResult, import_register

__all__ = ["STAGES", "ImportRefused", "Problem", "RegisterResult", "import_register"]

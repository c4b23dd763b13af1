"""``csv``: any CSV whose columns are named as track fields, or mapped to them with ``--map``.

Without a map, a column named like a field (``title``, ``artist``, ``valence``, ``energy``, … see
``FIELDS``) provides it; ``--map col=field`` lets column ``col`` provide ``field`` instead. The
starter catalog is a file of this format. Genres are ``;``-separated; valence and arousal must be
on [-1, 1].
"""

from __future__ import annotations

from collections.abc import Mapping

from moodtune.errors import InputError

from ._format import FIELDS, Format

__all__ = ["CSV_FORMAT", "csv_format"]

CSV_FORMAT = Format(
    name="csv",
    columns=({name: name for name in FIELDS},),
)


def csv_format(mapping: Mapping[str, str] | None = None) -> Format:
    """The ``csv`` format with ``mapping`` (file column → field) applied.

    Raises
    ------
    InputError : a mapping names an unknown field, or two columns for one field.
    """
    if not mapping:
        return CSV_FORMAT
    unknown = sorted(set(mapping.values()) - set(FIELDS))
    if unknown:
        raise InputError(f"--map names unknown fields {unknown}; fields are: {', '.join(FIELDS)}")
    fields = list(mapping.values())
    repeated = sorted({f for f in fields if fields.count(f) > 1})
    if repeated:
        raise InputError(f"--map gives more than one column for {repeated}")
    columns = {name: name for name in FIELDS}
    columns.update({field: column for column, field in mapping.items()})
    return Format(name=CSV_FORMAT.name, columns=(columns,))

"""What an import did, or would do: counts, new areas, notes and the problems of each row."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_here: int = 0  # meetings edited here since the last sync, left as they are
    archived: int = 0
    skipped: int = 0
    merged_rows: int = 0  # rows that became further weekly times of a meeting
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    new_areas: list = field(default_factory=list)
    dry_run: bool = False
    strict_failed: bool = False
    refused: str = ""  # why a sync applied nothing at all

    def summary(self):
        return _(
            "%(rows)d rows: %(created)d meetings created, %(updated)d updated, %(unchanged)d unchanged, "
            "%(kept)d edited here and kept, %(archived)d archived, %(skipped)d rows skipped, "
            "%(merged)d rows were further times of a meeting."
        ) % {
            "rows": self.rows, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "kept": self.kept_here, "archived": self.archived, "skipped": self.skipped, "merged": self.merged_rows,
        }  # fmt: skip

    @property
    def changes(self):
        return self.created + self.updated + self.archived

    def as_text(self):
        lines = [self.summary()]
        lines += [_("New area: %(path)s") % {"path": path} for path in self.new_areas]
        lines += [f"note: {note}" for note in self.notes]
        lines += [str(problem) for problem in self.problems]
        return "\n".join(lines)

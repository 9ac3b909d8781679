"""bulletin_tools: turn raw news-bulletin dumps into clean tables.

>>> from bulletin_tools import parse_dump
>>> [item.title for item in parse_dump("2 May, 2019\\n\\nA short title\\n\\nBody text.", "x.txt")]
['A short title']
"""

from .models import ClusterRow, DateMention, Item, NoiseLine
from .parse import parse_dump, parse_lines
from .pipeline import InputReader, read_items
from .runtime import use_batch_gc

__version__ = "0.1.0"

__all__ = [
    "ClusterRow",
    "DateMention",
    "InputReader",
    "Item",
    "NoiseLine",
    "__version__",
    "parse_dump",
    "parse_lines",
    "read_items",
    "use_batch_gc",
]

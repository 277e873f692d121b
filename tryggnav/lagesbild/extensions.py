"""What other apps add to the weekly lägesbild: map layers and agenda items.

The lägesbild sits below the apps that bring their own facts to the weekly meeting
(the deficiencies of ``tryggnav.inspections``), so it does not import them: they
register here from their ``AppConfig.ready()`` (as the organisations app registers the
geography's access rules with ``tryggnav.areas.access``). A layer or item sees the
group, the week and the user, and shows only what that user may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tryggnav.incidents.weeks import IsoWeek
from tryggnav.organisations.models import CollaborationGroup


@dataclass(frozen=True)
class MapLayer:
    """A toggleable layer of the group's lägesbild map: ``name`` is the features'
    ``properties.layer``; ``legend`` is (colour, label) pairs."""

    name: str
    label: Any
    legend: list[tuple[str, Any]]
    features: Callable[[CollaborationGroup, IsoWeek, Any], list[dict[str, Any]]]
    # The page listing the layer's objects for the group, if there is one.
    list_url: Callable[[CollaborationGroup], str] | None = None

    def url_for(self, group: CollaborationGroup) -> str:
        return self.list_url(group) if self.list_url else ""


@dataclass(frozen=True)
class AgendaRow:
    text: str
    url: str = ""
    flag: str = ""


@dataclass(frozen=True)
class AgendaItem:
    """An item of the weekly meeting's agenda: a heading and its rows."""

    title: Any
    rows: list[AgendaRow] = field(default_factory=list)
    empty: Any = ""
    more: int = 0


_map_layers: dict[str, MapLayer] = {}
_agenda_items: dict[str, Callable[[CollaborationGroup, IsoWeek, Any], AgendaItem | None]] = {}


def register_map_layer(layer: MapLayer) -> None:
    _map_layers[layer.name] = layer


def register_agenda_item(
    name: str, item: Callable[[CollaborationGroup, IsoWeek, Any], AgendaItem | None]
) -> None:
    _agenda_items[name] = item


def map_layers() -> list[MapLayer]:
    return list(_map_layers.values())


def map_features(group: CollaborationGroup, week: IsoWeek, user: Any) -> list[dict[str, Any]]:
    return [f for layer in _map_layers.values() for f in layer.features(group, week, user)]


def agenda_items(group: CollaborationGroup, week: IsoWeek, user: Any) -> list[AgendaItem]:
    items = (item(group, week, user) for item in _agenda_items.values())
    return [item for item in items if item is not None]

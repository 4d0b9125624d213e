"""The plugin's key and its settings: ``[plugins.gender_inclusion]`` in ogp-wg.toml."""

from __future__ import annotations

from pydantic import BaseModel

from .models import TargetGroup

KEY = "gender_inclusion"


class Settings(BaseModel):
    """``[plugins.gender_inclusion]``: read at request time with
    ``info.context.plugin_settings("gender_inclusion")``."""

    priority_groups: list[TargetGroup] = [
        TargetGroup.WOMEN_AND_GIRLS,
        TargetGroup.LGBTQIA_PLUS,
        TargetGroup.PERSONS_WITH_DISABILITIES,
    ]

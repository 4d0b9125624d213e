"""Reads of the priorities domain. It adds no root field: priority areas are read through their
group (`WorkingGroup.priorityAreas`), positions through their organisation
(`Organization.priorityAreaPositions`) or their area (`PriorityArea.positions`), and either by ID
(`node(id:)`). Those fields are declared in core/groups/types.py and core/people/types.py with
this domain's loaders (core/priorities/loaders.py), as the meetings domain adds
`WorkingGroup.meetings`."""

from __future__ import annotations

"""Activity: what happened in a group or to an organisation (issue 9, section 5).

Every domain's mutations record their events with `services.record` inside their own write
transaction, so an event exists exactly when the change it reports was committed.
"""

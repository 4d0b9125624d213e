"""Comments on groups, meetings and priority areas, threaded one level deep, edited with their
history kept and hidden (not deleted) with a reason; and the feedback channel on the
working-group concept itself (issue 9, section 3)."""

"""Action plans, commitments, milestones and the IRM's assessments (issue 10, section 3)."""

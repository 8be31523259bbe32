"""How the plan's text is written: responsibility lines and numbering, read and printed by one grammar."""

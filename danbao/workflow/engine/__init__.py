"""The pure core of the approval engine: graph, conditions, next-node resolution, tallies, deadlines.

No database access here (STYLE.md "The workflow engine and the domain"); the services feed it rows.
"""

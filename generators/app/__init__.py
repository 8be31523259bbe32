"""The application layer: every operation plandocs offers (check, build, letters, forms, new, import, diff,
lint, collect, ledger, supervise, year-summary, pdf, conform, pack) as one function taking paths and
parameters and returning a result object. The faces (the click commands in generators/commands/, the web
workbench in generators/web/) only parse input and format output; nothing is decided twice.

Failures are exceptions the faces map in one place (generators/commands/common.py `failure`): PlanError
(every problem at its file:line:col) and UserError (one Chinese line and the exit code)."""

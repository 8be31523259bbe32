"""The plandocs commands, one module each (check, build, lint, diff, drafts: import and new, letters, pdf,
conform; forms and collect in generators/collect/commands.py, ledger, supervise and year-summary in
generators/ledger/commands.py). cli.py only puts them on the click group; common.py holds what they share:
the options, the Chinese-speaking click classes and the one place failures become exit codes."""

"""The plandocs commands: what each command-line verb does, apart from click's wiring in cli.py."""

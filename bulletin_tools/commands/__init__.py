"""One module per command, each registering itself on the shared typer app in `base`."""

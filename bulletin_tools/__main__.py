"""`python -m bulletin_tools` runs the same command line as `bulletin-tools`."""

from .cli import main

if __name__ == "__main__":
    main()

"""`python -m extractor` is the same as `snhr`."""

from .cli import main

main()

"""The open workshop: the document, the intents that change it, its undo commands and its journal writer."""

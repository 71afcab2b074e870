"""query: a question parsed once into a `Query` (`question`) — what a text asks for (`asking`), the
arithmetic asked for (`operation`), the budget thesaurus (`thesaurus`) and the one tokenizer (`lexicon`)."""

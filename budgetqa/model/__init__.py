"""model: the budget model every stage after `parse` works on — the parsed document (`document`), the
national standard tables, measures and codes (`standard`), the facts read from it (`facts`), and the
text normalisation shared by matching code (`text`)."""

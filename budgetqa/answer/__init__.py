"""answer: from a `Query` to an `Answer` — the typed answer and the ways to write one (`compose`), the
responder (`respond`), arithmetic (`calculator`, `compute`), fact lookups (`finder` over the ranker in
`retrieve`, weighted by `weights`) and why-questions (`explain`)."""

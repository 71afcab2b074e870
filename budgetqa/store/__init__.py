"""store: the index — the SQLite catalog of documents and facts (`catalog`), the passage vectors in
Chroma written together with it (`fact_store`), and the offline n-gram embedding (`embedding`)."""

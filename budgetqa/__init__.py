"""Budget Q&A: cited answers to questions about Chinese public budget disclosures."""

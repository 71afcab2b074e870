"""The eval suite behind `python app.py eval` (see eval/README.md)."""

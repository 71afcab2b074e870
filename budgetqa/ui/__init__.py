"""Gradio chat UI: `build_ui(engine) -> gr.Blocks`, `launch(index_dir, corpus_dirs, host, port)`."""
from __future__ import annotations


def build_ui(engine, *args, **kwargs):
    from budgetqa.ui.app import build_ui as _build_ui

    return _build_ui(engine, *args, **kwargs)


def launch(*args, **kwargs):
    from budgetqa.ui.app import launch as _launch

    return _launch(*args, **kwargs)


__all__ = ["build_ui", "launch"]

"""Renderers: structured config -> text artifacts, one module per target.

A renderer is ``render(ctx) -> iterable of Artifact``; ``registry.RENDERERS``
lists them in order.  Renderers never decide anything: all values come from
the structured config (``ctx.design``) or the site facts (``ctx.facts``).
"""

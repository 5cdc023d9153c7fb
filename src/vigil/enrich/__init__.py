"""Built-in enrichment stages. Every module here registers its stages on :data:`vigil.stages.STAGES` when
imported; :func:`vigil.stages.default_stages` imports them all."""

"""Free-text analysis beyond coding: sentiment, word clouds, topic discovery (no Flask import)."""

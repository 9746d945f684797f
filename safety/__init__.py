"""Site safety inspection with Qwen vision-language models: fire, smoke, persons, hard hats."""

__version__ = "0.1.0"

"""The tracking form, its notation and the rules that check it: pure Python, no Django."""

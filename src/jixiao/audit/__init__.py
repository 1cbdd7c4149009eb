"""The audit trail: who did what to which form, when, from where, and what changed."""

"""Readers and writers of tracking documents; each reader returns domain objects or raises FormatError."""

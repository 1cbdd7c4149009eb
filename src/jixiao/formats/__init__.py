"""Readers and writers of tracking documents; each reader returns domain objects or raises FormatError."""

from jixiao.formats.registry import detect, read_document, write_document

__all__ = ["detect", "read_document", "write_document"]

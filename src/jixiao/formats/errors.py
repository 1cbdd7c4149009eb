"""The one error every reader raises: what was wrong and exactly where, in Chinese."""

from __future__ import annotations


class FormatError(Exception):
    """A document could not be read; nothing of it is returned.

    ``where`` is the location in the reader's own terms (``第 12 行``, ``工作表“宣传费”单元格 E7``,
    ``第 3 页``); ``line`` is the 1-based line or row when there is one.
    """

    def __init__(self, message: str, *, file: str, line: int | None = None, where: str | None = None):
        self.message = message
        self.file = file
        self.line = line
        self.where = where if where is not None else (f"第 {line} 行" if line is not None else None)
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.where:
            return f"{self.file}，{self.where}：{self.message}"
        return f"{self.file}：{self.message}"

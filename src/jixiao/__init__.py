"""Jixiao (绩效跟踪): in-year performance tracking of public project spending."""

__version__ = "0.1.0"

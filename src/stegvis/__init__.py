"""Stegvis: a shared tool for integration and labour-market programmes."""

__version__ = "0.1.0"

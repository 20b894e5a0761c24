"""Sentinel: an always-on monitor for companies' social-media pages."""

__version__ = "0.1.0"

"""Anxun 安巡: dual-prevention self-inspection backend."""

__version__ = "0.1.0"

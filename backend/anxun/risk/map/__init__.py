"""The four-colour risk map (四色图): site plans, shapes, notification cards and the register PDF."""

"""The risk registry (object → unit → event → measure), its Excel form and measure checklist."""
